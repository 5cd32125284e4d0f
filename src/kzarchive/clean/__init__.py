"""Cleaning: raw extracted text → blocks, one transform per artefact, each recording its changes.

The transforms run in a fixed order (like docutils' transform priorities); each one adds its
counts to the shared statistics and one sentence to the editorial declaration of the TEI header.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..decisions import (
    STEP_FORME,
    STEP_GLUED_FOLIOS,
    STEP_HYPHENATION,
    STEP_LEGACY,
    STEP_LETTERSPACING,
    STEP_LOOKALIKES,
    STEP_PRIVATE_USE,
    STEP_SYLLABLES,
    STEP_UNICODE,
)
from ..lexicon.segment import SyllableRepairer
from ..lexicon.wordlist import Lexicon
from ..model import Block, CleanDocument, HeaderFacts
from .chars import normalize_characters
from .forme import mark_page_furniture
from .hyphenation import HyphenResolver
from .legacy import repair_legacy_encoding
from .letterspacing import rejoin_letter_spacing
from .lines import Line, split_lines
from .lookalikes import fix_mixed_script
from .pageturns import split_glued_page_numbers
from .paragraphs import build_blocks
from .privateuse import private_use_report
from .syllables import repair_syllable_splits
from .webpage import drop_site_footer, extract_scrape_header


@dataclass
class CleaningTools:
    """The language resources cleaning decisions are made with, built once per document."""

    hyphens: HyphenResolver
    syllables: SyllableRepairer

    @classmethod
    def for_document(cls, text: str, lexicon: Lexicon | None = None) -> CleaningTools:
        lexicon = lexicon or Lexicon.default()
        return cls(HyphenResolver(lexicon, document_text=text), SyllableRepairer(lexicon, document_text=text))

    def known_word(self, form: str) -> bool:
        """Attested in the corpus lexicon or listed by hunspell-kk. Not the document's own forms:
        a document in a legacy font writes its garbled words often ("Іазаєстан" 3 ×)."""
        return form in self.syllables.lexicon or form in self.syllables.model.dictionary


def clean_text(text: str, tools: CleaningTools | None = None) -> CleanDocument:
    stats: Counter[str] = Counter()
    text = normalize_characters(text, stats)
    tools = tools or CleaningTools.for_document(text)
    lines = split_lines(text)
    del text  # the lines hold it now; a second copy of a large text is not kept through cleaning
    facts = extract_scrape_header(lines, stats)
    drop_site_footer(lines, facts, stats)
    mark_page_furniture(lines, stats)
    lines = split_glued_page_numbers(lines, stats)
    blocks = build_blocks(lines, tools.hyphens.decide, stats)
    del lines  # a Line per source line weighs more than the text itself: freed before the word repairs
    return repair_blocks(blocks, facts, stats, tools)


def clean_lines(lines: list[Line], facts: HeaderFacts, stats: Counter[str], tools: CleaningTools) -> CleanDocument:
    """Classified lines → blocks. The .txt path classifies page furniture from the text; the PDF
    path (pdf/) from where each line stands on its page."""
    return repair_blocks(build_blocks(lines, tools.hyphens.decide, stats), facts, stats, tools)


def repair_blocks(blocks: list[Block], facts: HeaderFacts, stats: Counter[str], tools: CleaningTools) -> CleanDocument:
    """The word-level repairs of the blocks, and the account of every cleaning step."""
    decide = tools.hyphens.decide
    repair_legacy_encoding(blocks, tools.known_word, stats)
    fix_mixed_script(blocks, stats)
    rejoin_letter_spacing(blocks, tools.known_word, stats)
    repair_syllable_splits(blocks, tools.syllables, stats, decide)
    steps = editorial_steps(stats, tools) + occasional_steps(blocks, stats)
    return CleanDocument(blocks=blocks, facts=facts, stats=dict(stats), steps=steps)


def editorial_steps(stats: Counter[str], tools: CleaningTools) -> list[tuple[str, str, str]]:
    """(editorialDecl element, step id, sentence) describing what was done to this document; the
    step id is what each decision's @resp points to."""
    return [
        ("normalization", STEP_UNICODE,
         f"Unicode NFC ({stats['nfc_changed_chars']} characters changed); "
         f"{stats['odd_spaces']} no-break or other odd spaces made plain spaces; "
         f"{stats['invisible_marks']} soft hyphens and zero-width marks removed; typographic quotes kept."),
        ("normalization", STEP_LEGACY,
         f"{stats['encoding_fixes']} words of a legacy 8-bit encoding repaired (Windows-1251 read as "
         "Windows-1252; қ/Қ/ң of pre-Unicode Kazakh fonts read as є/І/”), each checked against the lexicon; "
         "the source form is kept in orig."),
        ("normalization", STEP_LOOKALIKES,
         f"{stats['lookalike_fixes']} words with letters of the wrong script (Latin look-alikes in "
         "Cyrillic words, Cyrillic letters in URLs) regularised; the source spelling is kept in orig."),
        ("hyphenation", STEP_HYPHENATION,
         f"{stats['hyphens_joined']} line-end break hyphens removed (lb break=\"no\" rend=\"hyphen\"); "
         f"{stats['hyphens_kept']} real hyphens at line ends kept in the text (lb break=\"no\"); "
         f"{stats['line_ends_joined']} line ends after an opening quote or bracket, before a closing one, or at a dash "
         "between numbers or names (1911–1915) joined without a space (lb break=\"no\"). "
         f"{tools.hyphens.description}"),
        ("segmentation", STEP_FORME, f"Paragraphs rebuilt from {stats['joined_lines'] + stats['blocks']} source lines; "
         f"{stats['page_numbers']} page-number lines encoded as pb/fw; {stats['unnumbered_page_turns']} blank lines "
         "inside a sentence (where blank lines otherwise part paragraphs) encoded as unnumbered pb; "
         f"{stats['running_headers'] + stats['running_footers']} running heads and feet encoded as fw, "
         "with a pb where no page number marks the turn; "
         f"{stats['scrape_header_lines'] + stats['site_footer_lines']} lines of "
         "web-page debris moved to the header."),
        ("correction", STEP_SYLLABLES, f"{stats['syllable_joins']} words split into syllables by spaces rejoined "
         f"({stats['syllable_pieces_joined']} pieces); the source form is kept in orig. "
         f"{tools.syllables.method_description}"),
    ]


def occasional_steps(blocks: list[Block], stats: Counter[str]) -> list[tuple[str, str, str]]:
    """Sentences for artefacts most documents do not have, given only when found (so that the
    header of a document without them is unchanged)."""
    steps = []
    if stats["letterspaced_runs"]:
        steps.append(("correction", STEP_LETTERSPACING,
                      f"{stats['letterspaced_runs']} letter-spaced lines ({stats['letterspaced_pieces']} "
                      "pieces) rejoined into known words; the source form is kept in orig."))
    if stats["glued_page_numbers"]:
        steps.append(("segmentation", STEP_GLUED_FOLIOS,
                      f"{stats['glued_page_numbers']} page numbers glued onto a word broken at a page "
                      "turn (\"зорлық-5\") split off as pb/fw."))
    report = private_use_report(blocks, stats)
    if report:
        steps.append(("interpretation", STEP_PRIVATE_USE, report))
    return steps


def reading_paragraphs(text: str) -> list[str]:
    """Raw text → the reading text of each block (paragraphs, heads, items): what an editor would
    publish. The evaluation harness scores cleaning through this function."""
    document = clean_text(text)
    return [" ".join(block.plain_text().split()) for block in document.blocks if block.kind != "milestone"]
