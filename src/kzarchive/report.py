"""output/report.html: one self-contained page (inline CSS, no scripts, no external resources) a
librarian opens to see each document's status, cleaning statistics, validation and editions.

It is made from the manifest but leaves out timings and clock times, so that two runs that convert
the same sources give the same report byte for byte (a re-run that skips them says so).
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

STATUS_LABELS = {"ok": "converted", "skipped": "skipped (unchanged)", "kept": "edited by hand: kept",
                 "failed": "FAILED"}
FORMAT_LABELS = {"tei": "TEI", "epub": "EPUB", "docx": "DOCX", "pdf": "PDF"}
# The cleaning statistics a reader of the report cares most about, in this order; the rest follow.
KEY_STATS = {
    "page_numbers": "page numbers (pb)",
    "unnumbered_page_turns": "page turns without a number (pb)",
    "running_headers": "running heads",
    "running_footers": "running feet",
    "hyphens_joined": "break hyphens removed",
    "hyphens_kept": "real hyphens kept",
    "syllable_joins": "syllable-split words rejoined",
    "lookalike_fixes": "mixed-script words fixed",
    "encoding_fixes": "legacy-encoding words repaired",
    "joined_lines": "lines unwrapped",
    "blocks": "paragraphs and blocks",
}

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"PT Sans",sans-serif;margin:0;color:#1d2433;background:#f4f5f7}
header{background:#23395d;color:#fff;padding:18px 28px}
header h1{margin:0 0 4px;font-size:22px;font-weight:600}
header p{margin:0;opacity:.85;font-size:13px}
main{padding:18px 28px 40px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:18px}
.card{background:#fff;border-radius:8px;padding:10px 16px;min-width:110px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.card b{display:block;font-size:24px}
.card span{font-size:12px;color:#5b6475;text-transform:uppercase;letter-spacing:.04em}
.card.failed b{color:#b3261e}.card.ok b{color:#1e7b34}.card.skipped b{color:#44607f}
table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.08);border-radius:8px;overflow:hidden}
th,td{text-align:left;vertical-align:top;padding:9px 12px;border-bottom:1px solid #e6e8ec}
th{background:#eef0f4;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#5b6475}
tr.failed td{background:#fff5f4}
.name{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;word-break:break-all}
.title{color:#5b6475;font-size:13px;margin-top:2px}
.badge{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;font-weight:600;white-space:nowrap}
.badge.ok{background:#dff3e4;color:#1e7b34}.badge.kept{background:#fdf1d8;color:#7a5200}.badge.skipped{background:#e3ebf5;color:#44607f}
.badge.failed{background:#fbe2df;color:#b3261e}
.valid{color:#1e7b34}.invalid{color:#b3261e}.none{color:#8a93a3}
a.out{display:inline-block;margin:0 6px 4px 0;padding:2px 8px;border:1px solid #c9d2e0;border-radius:6px;
 text-decoration:none;color:#23395d;font-size:13px;white-space:nowrap}
a.out small{color:#5b6475}
ul.stats{margin:0;padding:0;list-style:none;font-size:13px;min-width:250px}
ul.stats li{display:flex;justify-content:space-between;gap:10px}
ul.stats li b{font-variant-numeric:tabular-nums}
details summary{cursor:pointer;color:#44607f;font-size:12px}
.error{color:#b3261e;font-size:13px;font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-word}
.warning{color:#8a5a00;font-size:13px}
.note{color:#7a5200;font-size:13px}
footer{color:#8a93a3;font-size:12px;margin-top:14px}
"""


def render_report(manifest: dict[str, Any]) -> str:
    options = manifest.get("options", {})
    summary = manifest.get("summary", {})
    schema = manifest.get("schema", {})
    rows = "\n".join(_document_row(number, doc) for number, doc in enumerate(manifest.get("documents", []), 1))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kzarchive report — {summary.get('documents', 0)} documents</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>Conversion report</h1>
<p>{escape(manifest.get('generator', 'kzarchive'))} · editions: {escape(', '.join(FORMAT_LABELS.get(f, f) for f in options.get('formats', [])))}
 · conversion date {escape(str(options.get('conversion_date', '')))} · schema {escape(schema.get('name', ''))}
 <span title="SHA-256">{escape(schema.get('sha256', '')[:12])}</span></p>
</header>
<main>
{_cards(summary)}
<table>
<thead><tr><th>#</th><th>Document</th><th>Status</th><th>Pages</th><th>Validation</th><th>Editions</th><th>Review</th><th>Cleaning</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<footer>Timings, checksums and the full record of this run are in <a href="manifest.json">manifest.json</a>.</footer>
</main>
</body>
</html>
"""


def _cards(summary: dict[str, int]) -> str:
    cards = [("documents", "", "documents"), ("converted", "ok", "converted"), ("skipped", "skipped", "skipped (unchanged)"),
             ("kept", "kept", "edited by hand: kept"),
             ("failed", "failed", "failed"), ("pages", "", "source pages (est.)")]
    items = "".join(f'<div class="card {css}"><b>{summary.get(key, 0):,}</b><span>{label}</span></div>'
                    for key, css, label in cards)
    return f'<div class="cards">{items}</div>'


def _document_row(number: int, doc: dict[str, Any]) -> str:
    status = doc.get("status", "failed")
    title = f'<div class="title">{escape(doc["title"])}</div>' if doc.get("title") else ""
    problems = ""
    if doc.get("error"):
        internal = doc["error"].startswith("internal error")
        stage = f'{escape(doc.get("failed_stage", ""))}: ' if doc.get("failed_stage") and not internal else ""
        problems += f'<div class="error">{stage}{escape(doc["error"])}</div>'
    if doc.get("note"):
        problems += f'<div class="note">{escape(doc["note"])}</div>'
    problems += "".join(f'<div class="warning">⚠ {escape(w)}</div>' for w in doc.get("warnings", []))
    return (f'<tr class="{escape(status)}"><td>{number}</td>'
            f'<td><div class="name">{escape(doc.get("source_name", ""))}</div>{title}{problems}</td>'
            f'<td><span class="badge {escape(status)}">{STATUS_LABELS.get(status, escape(status))}</span></td>'
            f'<td>{_pages(doc)}</td><td>{_validation(doc.get("validation") or {})}</td>'
            f'<td>{_outputs(doc.get("outputs", {}))}</td><td>{_review(doc.get("review") or {})}</td>'
            f'<td>{_stats(doc.get("stats", {}))}</td></tr>')


def _review(review: dict[str, Any]) -> str:
    """How many cleaning decisions are uncertain, with a link to the document's review page."""
    if not review:
        return '<span class="none">—</span>'
    uncertain, low = review.get("uncertain", 0), review.get("low", 0)
    counts = (f'<b class="{"invalid" if low else "valid"}">{uncertain:,} uncertain</b>'
              f'<br><small>{low:,} low · {review.get("decisions", 0):,} decisions</small>')
    return f'{counts}<br><a class="out" href="{quote(review["path"])}">review page</a>' if review.get("path") else counts


def _pages(doc: dict[str, Any]) -> str:
    """The PDF edition's real page count where there is one, else the source's pages (estimated)."""
    if doc.get("pdf_pages"):
        return f'<span title="pages of the PDF edition">{doc["pdf_pages"]:,}</span>'
    return f'<span title="source pages, estimated">≈ {doc.get("pages", 0):,}</span>'


def _validation(validation: dict[str, Any]) -> str:
    if not validation:
        return '<span class="none">—</span>'
    if validation.get("valid"):
        return f'<span class="valid">✓ valid</span><br><small>{escape(validation.get("schema", ""))}</small>'
    issues = "".join(f"<li>{escape(i)}</li>" for i in validation.get("issues", []))
    return f'<span class="invalid">✗ invalid</span><details><summary>issues</summary><ul>{issues}</ul></details>'


def _outputs(outputs: dict[str, dict[str, Any]]) -> str:
    links = []
    for fmt, out in outputs.items():
        href = quote(out["path"])
        links.append(f'<a class="out" href="{href}">{FORMAT_LABELS.get(fmt, escape(fmt))} '
                     f'<small>{_size(out["size"])}</small></a>')
    return "".join(links) or '<span class="none">—</span>'


def _stats(stats: dict[str, int]) -> str:
    if not stats:
        return '<span class="none">—</span>'
    main = [(label, stats[key]) for key, label in KEY_STATS.items() if stats.get(key)]
    rest = [(key.replace("_", " "), value) for key, value in sorted(stats.items()) if key not in KEY_STATS and value]
    shown = "".join(f"<li>{escape(label)} <b>{value:,}</b></li>" for label, value in main)
    more = "".join(f"<li>{escape(label)} <b>{value:,}</b></li>" for label, value in rest)
    details = f'<details><summary>{len(rest)} more</summary><ul class="stats">{more}</ul></details>' if rest else ""
    return f'<ul class="stats">{shown}</ul>{details}'


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
