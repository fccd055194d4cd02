"""职教知识助手: retrieval-augmented answers with checkable citations over a vocational-education corpus."""

__version__ = "0.1.0"
