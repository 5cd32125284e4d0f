"""`kzarchive review`: one self-contained HTML page (inline CSS and script, no network, no server)
listing every cleaning decision of a TEI master, least certain first, to accept, revert or correct.

The page keeps the archivist's choices in the browser's localStorage under the document's id and
the TEI's SHA-256, and saves them as a corrections file (JSON) that `kzarchive apply` writes back
into that very version of the master.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from html import escape
from importlib import resources
from pathlib import Path

from ..decisions import CERT_HIGH, CERT_MEDIUM, KINDS, UNCERTAIN_BELOW
from ..fsutil import atomic_write_text
from .collect import Decision, ReviewedDocument, collect_decisions, count_uncertain

CORRECTIONS_FORMAT = "kzarchive-corrections"
CORRECTIONS_VERSION = 1
REVIEW_SUFFIX = ".review.html"
CORRECTIONS_SUFFIX = ".corrections.json"
TEI_SUFFIX = ".tei.xml"


def document_stem(tei_name: str) -> str:
    """NAME of NAME.tei.xml (or of NAME.xml)."""
    return tei_name.removesuffix(TEI_SUFFIX).removesuffix(".xml")


def review_page_path(tei_path: Path) -> Path:
    """Where convert and `kzarchive review` put the page by default: NAME.review.html beside the TEI."""
    return tei_path.with_name(document_stem(tei_path.name) + REVIEW_SUFFIX)


def write_review_page(tei_path: Path, out_path: Path | None = None) -> dict[str, object]:
    """Write the review page of one TEI master; returns what the report shows of it (the manifest's
    "review" entry of the document): {"path": page file name, "decisions": n, "uncertain": n below
    high certainty not yet reviewed, "low": n of them below medium}."""
    out_path = out_path or review_page_path(tei_path)
    document = collect_decisions(tei_path)
    page = render_review_page(document)
    if not _holds(out_path, page):  # an unchanged page is not touched: its time says when it last changed
        atomic_write_text(out_path, page)
    return {"path": out_path.name, "decisions": len(document.decisions),
            "uncertain": count_uncertain(document.decisions, UNCERTAIN_BELOW),
            "low": count_uncertain(document.decisions, CERT_MEDIUM)}


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def render_review_page(document: ReviewedDocument) -> str:
    decisions = sorted(enumerate(document.decisions), key=lambda pair: (pair[1].cert, pair[0]))
    data = {
        "format": CORRECTIONS_FORMAT, "version": CORRECTIONS_VERSION,
        "identity": asdict(document.identity),
        "stem": document_stem(document.identity.name),
        "thresholds": {"high": CERT_HIGH, "medium": CERT_MEDIUM},
        "kinds": {key: {"label": kind.label, "revert": kind.revertible, "edit": kind.editable}
                  for key, kind in KINDS.items()},
        "decisions": [_row(order, decision) for order, decision in decisions],
    }
    # no "<" inside the script element ("</script>", "<!--" would end or confuse it): JSON's \u003c
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    parts = {"TITLE": escape(document.title), "NAME": escape(document.identity.name), "CSS": _asset("page.css"),
             "DATA": payload, "JS": _asset("page.js")}
    return _SLOT.sub(lambda slot: parts[slot.group(1)], _TEMPLATE)  # one pass: no slot inside a filled one


def _row(order: int, decision: Decision) -> list[object]:
    """A decision as the page's script reads it (a list keeps 001's page small)."""
    return [decision.id, decision.kind, round(decision.cert, 2), int(decision.reviewed), order,
            decision.before, decision.decided, decision.after, decision.original, decision.source]


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


_SLOT = re.compile(r"@(TITLE|NAME|CSS|DATA|JS)@")
_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>Review — @TITLE@</title>
<style>@CSS@</style>
</head>
<body>
<header>
<h1>@TITLE@</h1>
<p class="file">@NAME@ · cleaning decisions, least certain first</p>
<div class="bar">
<label>Kind <select id="kind"></select></label>
<label><input type="checkbox" id="open-only"> undecided only</label>
<span id="progress" aria-live="polite"></span>
<button id="save" type="button" title="s">Save corrections…</button>
</div>
<div class="meter"><div id="meter"></div></div>
<p class="keys"><kbd>j</kbd>/<kbd>↓</kbd> next · <kbd>k</kbd>/<kbd>↑</kbd> previous · <kbd>a</kbd> accept ·
<kbd>r</kbd> revert · <kbd>e</kbd> type the right form · <kbd>u</kbd> undo · <kbd>s</kbd> save</p>
</header>
<main><ol id="list"></ol><p id="empty" hidden>No decisions of this kind.</p></main>
<script type="application/json" id="data">@DATA@</script>
<script>@JS@</script>
</body>
</html>
"""
