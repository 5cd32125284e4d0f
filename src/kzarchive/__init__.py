"""kzarchive: Kazakh scholarly texts extracted from PDFs → TEI P5 masters and reader editions."""

__version__ = "0.4.0"
