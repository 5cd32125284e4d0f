"""Languages of divisions, blocks, notes and run-in quotations (xml:lang), and the counts that
feed <langUsage>.

Kazakh-specific letters (ә ғ қ ң ө ұ ү һ і) are decisive evidence for Kazakh; otherwise lingua,
restricted to Kazakh, Russian, English and Turkish, decides, and only above a confidence threshold,
so a Kazakh paragraph quoting a Russian name keeps the language of its context.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from ..clean.pieces import Atom, atomise, rebuild
from ..model import Block, Division, Inline, Node, Note, Quote, StructuredDocument, inline_text
from .ids import iter_blocks

_KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_MIN_LETTERS = 12
_MIN_QUOTE_LETTERS = 30
_KAZAKH_SHARE = 0.02       # Kazakh prose has ~10 % of these letters; a Russian text with a Kazakh name far fewer
_CONFIDENCE = 0.80
_SAMPLE_CHARS = 4000       # enough text to judge a whole article
_QUOTE_PAIRS = {"«": "»", "“": "”", "„": "“"}
_NESTING_QUOTES = {"«"}    # only guillemets nest reliably; “ ” are often printed the wrong way round
# Latin-1 letters outside Turkish and English: Cyrillic read as cp1252/latin-1 ("Ñáîðíèê") is full of them.
_MOJIBAKE_LETTERS = set("ÀÁÃÄÅÆÈÉÊËÌÍÏÐÑÒÓÔÕØÙÚÝÞßàáãäåæèéêëìíïðñòóôõøùúýþÿ²³¹º")


@lru_cache(maxsize=1)
def _detector():  # lingua ships no types: untyped
    """Built once per process; lingua reads a language's models on its first detection."""
    from lingua import Language, LanguageDetectorBuilder

    languages = (Language.KAZAKH, Language.RUSSIAN, Language.ENGLISH, Language.TURKISH)
    return LanguageDetectorBuilder.from_languages(*languages).build()


# lingua reads the models of the languages a text's letters allow, and of the n-gram orders its length asks
# for: short and long Cyrillic and Latin texts read them all.
_WARM_SHORT = ("Это текст на русском языке о Казахстане.", "This is a text about the history of Kazakhstan.")
_WARM_TEXTS = _WARM_SHORT + tuple(" ".join([text] * 4) for text in _WARM_SHORT)


def warm_detector() -> None:
    """Read lingua's models now (~1 s the first time): done before a pool's workers are forked, so that
    they share them (`kzarchive.preload`)."""
    for text in _WARM_TEXTS:
        _detector().compute_language_confidence_values(text)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the evidence is too thin."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < _MIN_LETTERS:
        return None
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    kazakh = sum(1 for ch in letters if ch in _KAZAKH_LETTERS)
    if cyrillic >= len(letters) / 2 and kazakh >= max(1, _KAZAKH_SHARE * cyrillic):
        return "kk"
    if sum(1 for ch in text if ch in _MOJIBAKE_LETTERS) > 0.2 * len(letters):
        return None  # mis-decoded text: its language cannot be read from these letters
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value < _CONFIDENCE:
        return None
    code = values[0].language.iso_code_639_1.name.lower()
    if code == "kk" and kazakh == 0 and cyrillic >= len(letters) / 2 and len(letters) < 200:
        return None  # a short Cyrillic text without one Kazakh letter: too little to call it Kazakh
    return code


def mark_languages(document: StructuredDocument, main: str = "kk") -> Counter[str]:
    """Set xml:lang where a division, block, note or quotation differs from its context; returns
    the number of elements found in each language other than the main one."""
    counts: Counter[str] = Counter()
    for nodes in (document.front, document.body, document.back):
        _mark_nodes(nodes, main, counts)
    document.languages = dict(counts)
    return counts


def _mark_nodes(nodes: Sequence[Node], context: str, counts: Counter[str]) -> None:
    for node in nodes:
        if isinstance(node, Division):
            _mark_division(node, context, counts)
        else:
            for block in iter_blocks([node]):
                _mark_block(block, context, counts)


def _mark_division(division: Division, context: str, counts: Counter[str]) -> None:
    language = context
    if division.type == "article":
        detected = detect_language(_division_sample(division))
        if detected and detected != context:
            division.lang = language = detected
            counts[detected] += 1
    for head in division.heads:
        _mark_block(head, language, counts)
    _mark_nodes(division.children, language, counts)


def _division_sample(division: Division) -> str:
    parts: list[str] = []
    size = 0
    for block in iter_blocks(division.children):
        if block.kind in ("p", "item"):
            text = block.plain_text()
            parts.append(text)
            size += len(text)
            if size > _SAMPLE_CHARS:
                break
    return " ".join(parts)


def _mark_block(block: Block, context: str, counts: Counter[str]) -> None:
    if block.kind in ("milestone", "separator"):
        return
    detected = detect_language(block.plain_text())
    language = context
    if detected and detected != context:
        block.lang = language = detected
        counts[detected] += 1
    _mark_notes(block.inlines, language, counts)
    if block.kind in ("p", "item") and language == "kk":
        _mark_quotes(block, language, counts)


def _mark_notes(inlines: list[Inline], context: str, counts: Counter[str]) -> None:
    for node in inlines:
        if isinstance(node, Note) and node.kind == "foot":
            detected = detect_language(inline_text(node.content))
            if detected and detected != context:
                node.lang = detected
                counts[detected] += 1


def _mark_quotes(block: Block, context: str, counts: Counter[str]) -> None:
    """A quotation in guillemets in another language than its paragraph becomes <quote xml:lang>;
    the guillemets stay outside it, as printed punctuation."""
    atoms = atomise(block.inlines)
    spans: list[tuple[int, int, str]] = []
    for start, end in _quotation_spans(atoms):
        text = inline_text(rebuild(atoms[start:end]))
        if sum(ch.isalpha() for ch in text) < _MIN_QUOTE_LETTERS:
            continue
        detected = detect_language(text)
        if detected and detected != context:
            spans.append((start, end, detected))
            counts[detected] += 1
    if spans:
        block.inlines = _wrap_quotes(atoms, spans)


def _quotation_spans(atoms: list[Atom]) -> list[tuple[int, int]]:
    """(start, end) atom ranges inside outermost quotation marks (nested marks balanced)."""
    spans: list[tuple[int, int]] = []
    opening: str | None = None
    depth, start = 0, 0
    for index, (char, node) in enumerate(atoms):
        if node is not None:
            continue
        if opening is None and char in _QUOTE_PAIRS:
            opening, depth, start = char, 1, index + 1
        elif opening is not None and char == opening and opening in _NESTING_QUOTES:
            depth += 1
        elif opening is not None and char == _QUOTE_PAIRS[opening]:
            depth -= 1
            if depth == 0:
                spans.append((start, index))
                opening = None
    return spans


def _wrap_quotes(atoms: list[Atom], spans: list[tuple[int, int, str]]) -> list[Inline]:
    out: list[Atom] = []
    position = 0
    for start, end, language in spans:
        out.extend(atoms[position:start])
        out.append(("", Quote(language, rebuild(atoms[start:end]))))
        position = end
    out.extend(atoms[position:])
    return rebuild(out)
