"""Typeset the corpus texts with typst into PDFs with known truth.

A Spec names the page layout (paper, columns, running heads and feet in one of the styles real
PDFs show); `build(spec)` returns the PDF bytes and the Truth: the reading text as paragraphs, the
footnotes, the @n every page must get, and the furniture (heads, feet, stamps) that must never
reach the reading text. `python -m bench.pdfcorpus.generate OUT_DIR` writes the whole corpus.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import texts

TEMPLATE = Path(__file__).with_name("corpus.typ")


@dataclass
class Spec:
    name: str
    language: str = "kk"
    paper: str = "a5"
    columns: int = 1
    head: str = "alternate"     # alternate | two-lang | glued | fraction | none
    foot: str = "number"        # number | stamp | none
    number_at: str = "bottom"   # top | bottom (where the plain page number stands)
    title: str = ""             # printed letter-spaced when given
    toc: bool = False
    repeat_sentence: str = ""   # a body sentence printed as its own paragraph on several pages
    sections: list[tuple[str, list]] = field(default_factory=list)
    head_odd: str = ""
    head_even: str = ""
    stamp: str = ""
    file_name: str = ""
    site: str = ""
    size: float = 11.0


@dataclass
class Truth:
    paragraphs: list[str]
    notes: list[str]
    page_numbers: list[str]
    furniture: list[str]        # static texts of heads, feet and stamps (digits stripped when matched)


def corpus() -> list[Spec]:
    repeat_kk = "Бұл ереже барлық азаматтарға бірдей қолданылады."
    return [
        Spec("kk_law_a5_alternate", "kk", "a5", 1, "alternate", "number", "bottom",
             title="Азаматтық құқық", toc=False, repeat_sentence=repeat_kk,
             sections=[texts.KK_LAW, texts.KK_HISTORY, texts.KK_GEO],
             head_odd="Қазақстан Республикасының Азаматтық кодексі",
             head_even="Жалпы ережелер"),
        Spec("ru_bio_a4_two_columns", "ru", "a4", 2, "two-lang", "stamp", "top",
             sections=[texts.RU_BIO, texts.RU_LAW, texts.KK_GEO, texts.KK_LAW], head_odd="Биология және құқық",
             head_even="Биология и право",
             stamp="Электрондық құжат · ЭЦҚ арқылы қол қойылған · 2024-03-15"),
        Spec("kk_geo_a5_glued", "kk", "a5", 1, "glued", "number", "top",
             sections=[texts.KK_GEO, texts.KK_LAW], head_odd="Қазақстан географиясы оқу программа"),
        Spec("kk_geo_a5_fraction", "kk", "a5", 1, "fraction", "none", "top",
             sections=[texts.KK_HISTORY, texts.KK_GEO, texts.KK_LAW], file_name="kazgeo-2024.pdf", site="www.kazgeo.kz"),
        Spec("ru_law_a4_contents", "ru", "a4", 1, "alternate", "number", "bottom", toc=True,
             title="Право и природа", sections=[texts.RU_LAW, texts.RU_BIO, texts.KK_HISTORY, texts.KK_GEO, texts.KK_LAW],
             head_odd="Основы права", head_even="Учебное пособие"),
        Spec("kk_samples_a5", "kk", "a5", 1, "two-lang", "number", "bottom",
             sections=[("Орталық Азия және АҚШ", texts.sample_paragraphs(3)), texts.KK_HISTORY, texts.KK_LAW],
             head_odd="Халықаралық қатынастар", head_even="Международные отношения"),
        Spec("kk_a4_stamp_numbers_top", "kk", "a4", 1, "alternate", "stamp", "top",
             sections=[texts.KK_LAW, texts.KK_GEO, texts.KK_HISTORY, texts.RU_LAW, texts.RU_BIO],
             head_odd="Құқық және табиғат", head_even="Оқу құралы", size=12.0,
             stamp="Құжат электрондық түрде жасалған · ЭҚАБЖ · 2025-01-20"),
        Spec("ru_a5_fraction_two_columns", "ru", "a5", 2, "fraction", "number", "bottom",
             sections=[texts.RU_BIO, texts.RU_LAW], file_name="stepi-i-pravo.pdf", site="www.zan.kz", size=9.0),
    ]


def _items(spec: Spec) -> tuple[list[dict], list[str], list[str]]:
    """Typst items, truth paragraphs (headings included, as the reading text has them), notes."""
    items: list[dict] = []
    paragraphs: list[str] = []
    notes: list[str] = []
    if spec.title:
        items.append({"kind": "title", "text": spec.title})
        paragraphs.append(spec.title)
    if spec.toc:
        items.append({"kind": "toc"})
    count = 0
    for heading, body in spec.sections:
        items.append({"kind": "heading", "text": heading})
        paragraphs.append(heading)
        for index, paragraph in enumerate(body):
            text, note = (paragraph, "") if isinstance(paragraph, str) else paragraph
            items.append({"kind": "p", "text": text, "note": note})
            if note:
                count += 1
                notes.append(f"{count} {note}")
                text = f"{text}{count}"
            paragraphs.append(text)
            if spec.repeat_sentence and index % 3 == 1:
                items.append({"kind": "p", "text": spec.repeat_sentence, "note": ""})
                paragraphs.append(spec.repeat_sentence)
    return items, paragraphs, notes


def build(spec: Spec) -> tuple[bytes, Truth]:
    import io

    import fontpkg
    import typst
    from pypdf import PdfReader

    from kzarchive.export.pdf_bytes import tidy_pdf

    items, paragraphs, notes = _items(spec)
    data = {k: v for k, v in asdict(spec).items() if k != "sections"} | {"items": items}
    folders = sorted({str(f.path.parent) for slug in ("pt-serif",) for f in fontpkg.family(slug).files})
    pdf = typst.compile(str(TEMPLATE), font_paths=folders, ignore_system_fonts=True,
                        sys_inputs={"data": json.dumps(data, ensure_ascii=False)})
    # typst glues undrawn soft hyphens onto letters' text mappings; real PDFs do not: take them out
    # the way our own PDF export does.
    pdf = tidy_pdf(pdf)
    if spec.toc:
        paragraphs = _with_contents(paragraphs, spec, folders, data)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    furniture = [t for t in (spec.head_odd, spec.head_even, spec.stamp, spec.file_name, spec.site) if t]
    return pdf, Truth(paragraphs, notes, [str(n) for n in range(1, pages + 1)], furniture)


def _with_contents(paragraphs: list[str], spec: Spec, folders: list[str], data: dict) -> list[str]:
    """The contents table's entries ("heading page") after the title, pages asked of typst."""
    import typst

    found = json.loads(typst.query(str(TEMPLATE), "<heading-page>", field="value", font_paths=folders,
                                   ignore_system_fonts=True,
                                   sys_inputs={"data": json.dumps(data, ensure_ascii=False)}))
    entries = [f"{heading} {page}" for heading, page in found]
    start = 1 if spec.title else 0
    return paragraphs[:start] + entries + paragraphs[start:]


def write_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in corpus():
        pdf, truth = build(spec)
        (folder / f"{spec.name}.pdf").write_bytes(pdf)
        (folder / f"{spec.name}.truth.json").write_text(json.dumps(asdict(truth), ensure_ascii=False, indent=1),
                                                       encoding="utf-8")
        written.append(folder / f"{spec.name}.pdf")
    return written


if __name__ == "__main__":
    for path in write_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "output/pdfcorpus")):
        print(path)
