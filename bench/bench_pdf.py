"""Benchmark TEI → PDF export (not a test).

    PYTHONPATH=src python bench/bench_pdf.py [TEI_FILE] [--pages 160] [--runs 3]

Without a file it takes the largest output/*.tei.xml, or, if there is none, synthesises a
dissertation-sized TEI (about 160 pages) from tests/fixtures/house_style_sample.tei.xml.
Target: under 2 s for the 160-page dissertation, TEI parsing included.
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kzarchive.export.pdf import export_pdf  # noqa: E402
from kzarchive.tei import XML_ID, tei  # noqa: E402
from kzarchive.tei.reading import reading_text  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "house_style_sample.tei.xml"
WORDS_PER_PAGE = 270  # words of synthetic text that fill one page of the template


def largest_output_tei() -> Path | None:
    candidates = sorted((ROOT / "output").glob("*.tei.xml"), key=lambda p: p.stat().st_size)
    return candidates[-1] if candidates else None


def synthesize_tei(pages: int, seed: int = 0) -> bytes:
    """A TEI shaped like a dissertation: chapters, sections, footnotes, page breaks, bibliography."""
    rng = random.Random(seed)
    tree = etree.parse(str(FIXTURE))
    root = tree.getroot()
    words = reading_text(root.find(tei("text")), include_notes=True).split()
    body = root.find(f"{tei('text')}/{tei('body')}")
    for child in list(body):
        body.remove(child)
    source_page = 1
    words_left = pages * WORDS_PER_PAGE
    chapter = 0
    while words_left > 0:
        chapter += 1
        div = etree.SubElement(body, tei("div"), {"type": "chapter", XML_ID: f"sec-{chapter}", "n": str(chapter)})
        etree.SubElement(div, tei("head")).text = f"{chapter} тарау. " + " ".join(rng.sample(words, 4))
        for section in range(1, 5):
            sec = etree.SubElement(div, tei("div"), {"type": "section", XML_ID: f"sec-{chapter}.{section}"})
            etree.SubElement(sec, tei("head")).text = f"{chapter}.{section}. " + " ".join(rng.sample(words, 5))
            for _ in range(8):
                p = etree.SubElement(sec, tei("p"))
                length = rng.randint(60, 140)
                p.text = " ".join(rng.choice(words) for _ in range(length)) + "."
                words_left -= length
                if rng.random() < 0.35:
                    note = etree.SubElement(p, tei("note"), {"place": "foot"})
                    note.text = " ".join(rng.choice(words) for _ in range(rng.randint(5, 25)))
                    note.tail = " " + " ".join(rng.choice(words) for _ in range(10)) + "."
                if rng.random() < 0.45:
                    source_page += 1
                    etree.SubElement(p, tei("pb"), {"n": str(source_page)}).tail = " ".join(rng.sample(words, 8))
    back_list = root.find(f".//{tei('listBibl')}")
    template = back_list[0]
    for n in range(3, 121):
        bibl = copy.deepcopy(template)
        bibl.set(XML_ID, f"bibl-{n}")
        bibl.set("n", str(n))
        back_list.append(bibl)
    return etree.tostring(tree, encoding="UTF-8", xml_declaration=True)


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tei", nargs="?", type=Path)
    parser.add_argument("--pages", type=int, default=160, help="size of the synthesised TEI")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.tei or largest_output_tei()
        if source is None:
            source = Path(tmp) / "synthetic.tei.xml"
            source.write_bytes(synthesize_tei(args.pages))
        out = Path(tmp) / "bench.pdf"
        timings, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            warnings = export_pdf(source, out)
            timings.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        print(f"source: {source.name if args.tei or source.parent != Path(tmp) else 'synthesised from fixture'}")
        print(f"pages: {page_count(out)}")
        print(f"seconds: best {min(timings):.2f}, first {timings[0]:.2f} ({args.runs} runs)")
        # CPU time is the fairer figure on a shared machine (typst is single-threaded in layout).
        print(f"cpu seconds: best {min(cpu):.2f}")
        print(f"warnings: {len(warnings)}")


if __name__ == "__main__":
    main()
