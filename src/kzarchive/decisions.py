"""Cleaning decisions as the TEI records them: which step made each one, how sure it was, and how
an archivist reviews it. Every fact here is defined once and imported by the encoder, the review
page, `kzarchive apply` and the report.

A decision in the TEI is an element carrying @resp="#STEP-ID" (the <p> of the header's
editorialDecl that describes the step) and @cert, a number from 0 to 1 (TEI's certainty
datatype). Models give their own confidence (the hyphen resolver's evidence, the syllable
segmenter's score margin); rules without a score carry a fixed confidence, named below.
"""

from __future__ import annotations

from typing import NamedTuple

# ---- steps (xml:id of the editorialDecl paragraph that describes each) -------------------------
STEP_SYLLABLES = "step-syllables"
STEP_HYPHENATION = "step-hyphenation"
STEP_LEGACY = "step-legacy"
STEP_LOOKALIKES = "step-lookalikes"
STEP_FORME = "step-forme"
STEP_NOTES = "step-notes"
STEP_HEADINGS = "step-headings"
STEP_UNICODE = "step-unicode"
STEP_READING = "step-reading"
STEP_LETTERSPACING = "step-letterspacing"
STEP_GLUED_FOLIOS = "step-glued-folios"
STEP_PRIVATE_USE = "step-private-use"
STEP_PDF_LAYOUT = "step-pdf-layout"

# Choice.reason → the step that makes such choices
STEP_OF_CHOICE = {"syllables": STEP_SYLLABLES, "letterspacing": STEP_LETTERSPACING,
                  "lookalike": STEP_LOOKALIKES, "script": STEP_LOOKALIKES,
                  "encoding": STEP_LEGACY, "notecall": STEP_NOTES}

# ---- certainty ---------------------------------------------------------------------------------
CERT_HIGH = 0.9     # at or above: "high"
CERT_MEDIUM = 0.7   # at or above (and below CERT_HIGH): "medium"; below: "low"
UNCERTAIN_BELOW = CERT_HIGH  # what the report counts as uncertain: medium and low
REVIEWED_CERT = 1.0  # a decision an archivist accepted, reverted or typed

# Rules without a score of their own carry a fixed prior, set by hand from how the rule behaves on the
# samples (not measured): it orders them among the scored decisions on the review page.
RULE_CONFIDENCE = {
    "syllables": 0.8,       # used only if the segmenter gave no margin
    "letterspacing": 0.9,   # a letter-spaced line whose rejoined words are all known
    "lookalike": 0.95,      # a Latin look-alike inside a Cyrillic word
    "script": 0.95,
    "encoding": 0.85,       # a legacy-font letter or mojibake, checked against the lexicon
    "notecall": 0.8,        # a number glued to a word, matched to the next unbound note text
    "hyphen": 0.8,          # a line-end hyphen decided without a confidence
    "joined": 0.8,          # a line that ended inside a word without a hyphen
    "pageNum": 0.9,         # a plausible, non-decreasing number alone on its line
    "header": 0.85,         # a line recurring letter for letter at page turns
    "footer": 0.85,
    "separator": 0.95,      # a rule of underscores or dashes
    "page-turn": 0.6,       # a blank line inside a sentence, read as an unnumbered page turn
    "note": 0.8,            # a trailing note text moved to its call
}
# Headings by what recognised them (Block.div_type of the head).
HEADING_CONFIDENCE = {"introduction": 0.95, "conclusion": 0.95, "contents": 0.95, "bibliography": 0.95,
                      "bibliography-part": 0.9,
                      "appendix": 0.9, "glossary": 0.9, "notes": 0.9, "chapter": 0.9, "section": 0.8,
                      "subsection": 0.75, "article": 0.8, "caps": 0.65}
HEADING_DEFAULT_CONFIDENCE = 0.7


def cert_value(confidence: float) -> str:
    """The @cert text of a confidence: a number from 0 to 1, two decimals."""
    return f"{min(1.0, max(0.0, confidence)):.2f}"


def cert_label(cert: float) -> str:
    if cert >= CERT_HIGH:
        return "high"
    return "medium" if cert >= CERT_MEDIUM else "low"


def parse_cert(value: str | None) -> float:
    """@cert as a number; TEI's words too, for a TEI edited by hand. None said: unknown, 0."""
    words = {"high": CERT_HIGH, "medium": CERT_MEDIUM, "low": 0.0, "unknown": 0.0}
    if value is None:
        return 0.0
    if value in words:
        return words[value]
    try:
        return float(value)
    except ValueError:
        return 0.0


def heading_confidence(div_type: str) -> float:
    return HEADING_CONFIDENCE.get(div_type, HEADING_DEFAULT_CONFIDENCE)


# ---- kinds an archivist reviews ------------------------------------------------------------------
class Kind(NamedTuple):
    key: str
    label: str
    revertible: bool  # a revert is defined for it (notes and headings: accept only)
    editable: bool    # a typed form can replace the reading


KINDS = {k.key: k for k in (
    Kind("syllables", "syllable join", True, True),
    Kind("letterspacing", "letter-spaced line rejoined", True, True),
    Kind("hyphen-removed", "line-end hyphen removed", True, False),
    Kind("hyphen-kept", "line-end hyphen kept", True, False),
    Kind("line-joined", "line joined inside a word", True, False),
    Kind("legacy", "legacy-encoding repair", True, True),
    Kind("lookalike", "look-alike letters", True, True),
    Kind("note-call", "note call", True, True),
    Kind("note", "note moved to its call", False, False),
    Kind("page-number", "page number removed", True, False),
    Kind("running-head", "running head or foot removed", True, False),
    Kind("separator", "separator line removed", True, False),
    Kind("page-turn", "page turn", True, False),
    Kind("heading", "heading found", False, False),
)}
DECISION_ID_PREFIX = "dec-"
REVIEW_ID_PREFIX = "review-"  # xml:id of the <change> an applied corrections file adds
