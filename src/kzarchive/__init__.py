"""kzarchive: Kazakh scholarly texts extracted from PDFs → TEI P5 masters and reader editions."""

__version__ = "0.2.0"
# The date this version was released: the fallback conversion date when SOURCE_DATE_EPOCH is unset,
# so that converting the same source twice gives the same bytes.
RELEASE_DATE = "2026-11-25"
