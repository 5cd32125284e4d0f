"""Reading PDFs themselves: pages of positioned lines (reader), page furniture found by position
(layout), and the lines handed to the cleaner with exact page turns (ingest)."""

from .ingest import clean_pdf
from .reader import PdfSource, read_pdf_bytes

__all__ = ["PdfSource", "clean_pdf", "read_pdf_bytes"]
