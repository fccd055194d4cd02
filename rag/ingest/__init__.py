"""Ingest: read files (load), strip scraped-page noise (clean), describe (metadata) and cut (chunk)."""

from rag.ingest.pipeline import SUPPORTED_SUFFIXES, discover, prepare_document

__all__ = ["SUPPORTED_SUFFIXES", "discover", "prepare_document"]
