"""Regenerate the shipped word-form list and clitic model from the clean corpus texts.

    python -m kzarchive.lexicon.build [--corpus DIR] [--out FILE]

Clean sources are 000-003 (normal Kazakh text); 004 is syllable-split and is left out
(its unsplit words are used at run time as document evidence instead).

Outputs: `data/kk_wordforms.tsv` (word form, count), `data/kk_clitics.tsv` (feature,
weight of the logistic model that attaches or detaches мен/да/ма… pieces, see
`clitics.CliticModel`) and `data/kk_boundaries.tsv` (feature, weight of the piece-seam model,
`seams.BoundaryModel`, learned from the clean texts split into pieces by the benchmark
generator `bench/syllables/generate.py` when the source tree has it).

`data/ru_wordfreq.tsv.gz` (Russian word form, Zipf frequency × 100; the 150 000 most
frequent all-Cyrillic forms of wordfreq's "large" Russian list, used to rejoin Russian
paragraphs, see `russian.RussianWords`) is rewritten only when the `wordfreq` package is
installed (`pip install wordfreq`; it is a build-time tool, not a dependency); otherwise
the shipped file is kept. wordfreq's data is CC BY-SA 4.0 (code Apache-2.0).

Last, from the files above, the letter-model tables (`letters.LetterTable`, memory-mapped at run
time): `data/kk_letters.bin` from the alphabetic forms of `kk_wordforms.tsv`, `data/ru_letters.bin`
from the 20 000 most frequent forms of `ru_wordfreq.tsv.gz`; each records its source file's SHA-256
and is used only while that file is unchanged. `--letters-only` rebuilds just these two (the same
bytes every time).
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .letters import KAZAKH_TABLE, RUSSIAN_TABLE, LetterTable, table_provenance
from .russian import RussianWords, russian_letter_forms
from .segment import BOUNDARY_DATA_FILE, CLITIC_DATA_FILE, RUSSIAN_DATA_FILE, BoundaryModel, CliticModel
from .wordlist import Lexicon
from .wordmodel import kazakh_letter_forms

DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "input"  # the samples shipped in the repo
CLEAN_PREFIXES = ("000_", "001_", "002_", "003_")
DATA_FILE = Path(__file__).with_name("data") / "kk_wordforms.tsv"
CLITIC_FILE = Path(__file__).with_name("data") / CLITIC_DATA_FILE
BOUNDARY_FILE = Path(__file__).with_name("data") / BOUNDARY_DATA_FILE
GENERATOR_DIR = Path(__file__).resolve().parents[3] / "bench" / "syllables"
RUSSIAN_FILE = Path(__file__).with_name("data") / RUSSIAN_DATA_FILE
RUSSIAN_FORMS = 150_000
MAX_BYTES = 2_000_000


def clean_sources(corpus: Path, prefixes: Sequence[str] = CLEAN_PREFIXES) -> list[Path]:
    return sorted(path for path in corpus.glob("*.txt") if path.name.startswith(tuple(prefixes)))


def build_lexicon(paths: Sequence[Path], name: str = "kzarchive-corpus") -> Lexicon:
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    return Lexicon.from_texts(texts, name)


def fit_size(lexicon: Lexicon, max_bytes: int = MAX_BYTES) -> Lexicon:
    """Drop the rarest forms until the data file fits the size budget."""
    min_count = 1
    while len(lexicon.dump().encode()) > max_bytes:
        min_count += 1
        kept = {word: count for word, count in lexicon.counts.items() if count >= min_count}
        lexicon = Lexicon(type(lexicon.counts)(kept), lexicon.name)
    return lexicon


def generator_splitter(seed: int = 0) -> Callable[[str], list[str]] | None:
    """The benchmark's 004-like splitter, when the source tree is at hand (else None: the
    model falls back to plain syllables)."""
    if not (GENERATOR_DIR / "generate.py").is_file():
        return None
    sys.path.insert(0, str(GENERATOR_DIR))
    try:
        from generate import split_word  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(GENERATOR_DIR))
    rng = random.Random(seed)
    return lambda token: split_word(token, rng)


def build_russian(out: Path = RUSSIAN_FILE, size: int = RUSSIAN_FORMS) -> int | None:
    """Write the Russian frequency list from wordfreq (None when wordfreq is not installed)."""
    try:
        import wordfreq  # type: ignore[import-not-found]
    except ImportError:
        return None
    frequencies = wordfreq.get_frequency_dict("ru", "large")
    cyrillic = re.compile(r"[а-яё]+")
    forms = [form for form in sorted(frequencies, key=lambda f: (-frequencies[f], f)) if cyrillic.fullmatch(form)]
    rows = "".join(f"{form}\t{round(wordfreq.zipf_frequency(form, 'ru') * 100)}\n" for form in forms[:size])
    data = gzip.compress(rows.encode("utf-8"), 9, mtime=0)
    if len(data) > MAX_BYTES:
        raise SystemExit(f"{out}: {len(data)} bytes, over the {MAX_BYTES} budget")
    out.write_bytes(data)
    return min(size, len(forms))


def build_letter_tables(data_dir: Path = DATA_FILE.parent) -> list[str]:
    """Compile the letter-model tables of the shipped word lists in `data_dir`; returns what was written."""
    lexicon = Lexicon.from_tsv((data_dir / DATA_FILE.name).read_text(encoding="utf-8"))
    written = [_write_table(data_dir / KAZAKH_TABLE, kazakh_letter_forms(lexicon), data_dir / DATA_FILE.name)]
    russian_data = data_dir / RUSSIAN_FILE.name
    if russian_data.is_file():
        russian = RussianWords.from_tsv(gzip.decompress(russian_data.read_bytes()).decode("utf-8"))
        written.append(_write_table(data_dir / RUSSIAN_TABLE, russian_letter_forms(russian), russian_data))
    return written


def _write_table(out: Path, forms: list[str], source: Path) -> str:
    table = LetterTable.compile(forms)
    out.write_bytes(table.to_bytes(table_provenance(source, len(forms))))
    return f"{out}: letter table of {len(forms)} forms, {table.states} states, {len(table.symbols)} letters"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=DATA_FILE)
    parser.add_argument("--russian-only", action="store_true", help="only rebuild the Russian list")
    parser.add_argument("--letters-only", action="store_true", help="only rebuild the letter-model tables")
    args = parser.parse_args(argv)
    if args.letters_only:
        print("\n".join(build_letter_tables(args.out.parent)))
        return 0
    if args.russian_only:
        written = build_russian(args.out.with_name(RUSSIAN_FILE.name))
        print("wordfreq is not installed" if written is None else f"{written} Russian word forms")
        return 0 if written else 1
    sources = clean_sources(args.corpus)
    if not sources:
        parser.error(f"no clean corpus texts in {args.corpus}")
    lexicon = fit_size(build_lexicon(sources))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(lexicon.dump(), encoding="utf-8")
    print(f"{args.out}: {len(lexicon)} word forms from {len(sources)} texts")
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in sources]
    clitics = CliticModel.learn(texts)
    clitic_out = args.out.with_name(CLITIC_FILE.name)
    clitic_out.write_text(clitics.dump(), encoding="utf-8")
    print(f"{clitic_out}: {len(clitics.weights)} clitic-model weights")
    boundaries = BoundaryModel.learn(texts, generator_splitter())
    boundary_out = args.out.with_name(BOUNDARY_FILE.name)
    boundary_out.write_text(boundaries.dump(), encoding="utf-8")
    print(f"{boundary_out}: {len(boundaries.weights)} piece-seam-model weights")
    russian_out = args.out.with_name(RUSSIAN_FILE.name)
    written = build_russian(russian_out)
    if written is None:
        print(f"{russian_out}: kept (install wordfreq to rebuild it)")
    else:
        print(f"{russian_out}: {written} Russian word forms from wordfreq")
    print("\n".join(build_letter_tables(args.out.parent)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
