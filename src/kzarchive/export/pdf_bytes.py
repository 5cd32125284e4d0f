"""Byte-level mending of the PDFs typst writes, before they are saved.

- Soft hyphens: typst maps a letter followed by an unused soft hyphen to "letter + U+00AD" in its
  ToUnicode maps and ActualText, so extractors would see invisible characters inside words. They are
  removed; a soft hyphen actually drawn at a line end keeps its own mapping (U+00AD alone), which is
  how PDF marks a removable hyphenation hyphen.
- `/MarkInfo <</Marked true /Suspects false>>`: valid PDF, but poppler (pdfinfo, pdffonts, pdftotext,
  and the viewers built on it) reports "Syntax Error: Suspects object is wrong type (boolean)" for a
  false value. false is the default, so the key is dropped.

typst writes one classic xref table and plain `<</Length n/Filter/FlateDecode>>` streams, so the file
is rewritten object by object with a new xref table (much faster than a full PDF library round trip);
anything unexpected leaves the PDF untouched.
"""

from __future__ import annotations

import re
import zlib

_FALSE_SUSPECTS = b"/Suspects false"

_ACTUAL_TEXT_SHY = re.compile(rb"(/ActualText\s*<FEFF(?:[0-9A-Fa-f]{4})+?)00AD>")
_CMAP_SHY = re.compile(rb"<((?:[0-9A-Fa-f]{4})+)00AD>")
_XREF_ROW = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_STREAM_DICT = re.compile(rb"^\d+ \d+ obj\s*<<([^<>]*)>>\s*stream\r?\n")
_LENGTH = re.compile(rb"/Length (\d+)")


def tidy_pdf(pdf: bytes) -> bytes:
    """The PDF typst wrote, object by object, with two things mended (see the module's docstring)."""
    layout = _object_layout(pdf)
    if layout is None:
        return pdf
    offsets, xref_at, size, trailer = layout
    pieces: list[bytes] = [pdf[: offsets[0][1]]]
    new_offsets: dict[int, int] = {}
    position = len(pieces[0])
    changed = False
    bounds = [offset for _, offset in offsets] + [xref_at]
    for (number, start), end in zip(offsets, bounds[1:], strict=True):
        chunk = pdf[start:end]
        cleaned = _drop_false_suspects(_clean_stream_object(chunk))
        changed |= cleaned is not chunk
        new_offsets[number] = position
        pieces.append(cleaned)
        position += len(cleaned)
    if not changed:
        return pdf
    pieces.append(_xref_table(new_offsets, size, trailer))
    pieces.append(f"startxref\n{position}\n%%EOF\n".encode())
    return b"".join(pieces)


def _object_layout(pdf: bytes) -> tuple[list[tuple[int, int]], int, int, bytes] | None:
    """(object number, offset) sorted by offset, the xref offset, its size and the trailer."""
    match = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf)
    if match is None:
        return None
    xref_at = int(match.group(1))
    if not pdf.startswith(b"xref", xref_at):
        return None  # an xref stream: not what typst writes today
    trailer_at = pdf.find(b"trailer", xref_at)
    header = re.match(rb"xref\s+0\s+(\d+)\s+", pdf[xref_at:trailer_at])
    if trailer_at < 0 or header is None:
        return None
    rows = _XREF_ROW.findall(pdf, xref_at + header.end(), trailer_at)
    if len(rows) != int(header.group(1)):
        return None
    offsets = sorted((int(off), number) for number, (off, _, kind) in enumerate(rows) if kind == b"n")
    trailer = pdf[trailer_at : pdf.find(b"startxref", trailer_at)]
    return [(number, off) for off, number in offsets], xref_at, len(rows), trailer


def _drop_false_suspects(chunk: bytes) -> bytes:
    """`/Suspects false` out of the catalog's MarkInfo (false is the default, so the meaning stays)."""
    if b"/Type/Catalog" not in chunk or _FALSE_SUSPECTS not in chunk:
        return chunk
    return chunk.replace(_FALSE_SUSPECTS, b"", 1)


def _clean_stream_object(chunk: bytes) -> bytes:
    """The object with soft hyphens dropped from its text mappings, or `chunk` itself if unchanged."""
    match = _STREAM_DICT.match(chunk)
    if match is None or b"/Filter/FlateDecode" not in match.group(1):
        return chunk
    length = _LENGTH.search(match.group(1))
    if length is None:
        return chunk
    data_start = match.end()
    data_end = data_start + int(length.group(1))
    try:
        data = zlib.decompress(chunk[data_start:data_end])
    except zlib.error:
        return chunk
    if b"00AD" not in data:
        return chunk
    if b"/Type/CMap" in match.group(1):
        cleaned = _CMAP_SHY.sub(rb"<\1>", data)
    else:
        cleaned = _ACTUAL_TEXT_SHY.sub(rb"\1>", data)
    if cleaned == data:
        return chunk
    packed = zlib.compress(cleaned, 6)
    head = chunk[:data_start].replace(length.group(0), b"/Length %d" % len(packed), 1)
    return head + packed + chunk[data_end:]


def _xref_table(offsets: dict[int, int], size: int, trailer: bytes) -> bytes:
    rows = [b"0000000000 65535 f\r\n"]
    for number in range(1, size):
        if number in offsets:
            rows.append(b"%010d 00000 n\r\n" % offsets[number])
        else:
            rows.append(b"0000000000 65535 f\r\n")
    return b"xref\n0 %d\n" % size + b"".join(rows) + trailer
