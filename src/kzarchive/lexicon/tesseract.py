"""Tesseract's Kazakh word list (Debian `tesseract-ocr-kaz`, Apache-2.0) as a lexicon of word forms.

The model file `kaz.traineddata` carries a word list (a DAWG) of 437 170 entries, 261 567
distinct lower-case forms, inflected forms included. `combine_tessdata -u` unpacks the model and
`dawg2wordlist` (both Debian `tesseract-ocr`) reads the list out. That is done once: the sorted,
case-folded forms are written gzip'd to a cache file named by the model's SHA-256, with the
package version and hash in its first line, and loaded from there (≈ 0.1 s).

Optional: without the model, the tools or a writable cache, `tesseract_words()` is an empty set
and callers fall back to hunspell-kk and the corpus lexicon. `KZARCHIVE_NO_TESSERACT=1` forces
that; `KZARCHIVE_TESSDATA_KAZ` names another `kaz.traineddata`; the cache lives in
`$KZARCHIVE_CACHE_DIR` or `$XDG_CACHE_HOME/kzarchive` (`~/.cache/kzarchive`).

    python -m kzarchive.lexicon.tesseract [--out FILE]   # build (or rebuild) the cache file
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

SOURCE_PACKAGE = "tesseract-ocr-kaz"
MODEL_NAME = "kaz.traineddata"
TESSDATA_GLOB = "/usr/share/tesseract-ocr/*/tessdata"
TOOLS = ("combine_tessdata", "dawg2wordlist")
HEADER_PREFIX = "# "
_TOOL_TIMEOUT = 120  # seconds; the unpacking and listing take about two


def find_model() -> Path | None:
    """The Kazakh model file, or None (not installed, or switched off)."""
    if os.environ.get("KZARCHIVE_NO_TESSERACT"):
        return None
    custom = os.environ.get("KZARCHIVE_TESSDATA_KAZ")
    installed = sorted(Path("/").glob(TESSDATA_GLOB.lstrip("/") + "/" + MODEL_NAME), reverse=True)
    candidates = [Path(custom)] if custom else installed
    return next((path for path in candidates if path.is_file()), None)


@lru_cache(maxsize=4)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_sha256(model: Path) -> str:
    stat = model.stat()
    return _sha256(str(model), stat.st_size, stat.st_mtime_ns)


def package_version() -> str:
    """The Debian package's version, "unknown" off Debian (provenance only, not identity)."""
    try:
        done = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", SOURCE_PACKAGE],
                              capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "unknown"


def tesseract_identity() -> str:
    """Which word list cleaning would use: part of what an output depends on."""
    model = find_model()
    if model is None:
        return "none"
    try:
        return f"{MODEL_NAME}:sha256={model_sha256(model)}"
    except OSError:
        return "none"


def cache_dir() -> Path:
    custom = os.environ.get("KZARCHIVE_CACHE_DIR")
    if custom:
        return Path(custom)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kzarchive"


def cache_path(model: Path) -> Path:
    return cache_dir() / f"tesseract-kaz-{model_sha256(model)[:16]}.txt.gz"


def extract_forms(model: Path) -> list[str]:
    """The model's word list as sorted, distinct, case-folded forms (letters, inner hyphens)."""
    with tempfile.TemporaryDirectory(prefix="kzarchive-tess-") as work:
        prefix = os.path.join(work, "kaz.")
        shutil.copyfile(model, os.path.join(work, MODEL_NAME))
        _run(["combine_tessdata", "-u", os.path.join(work, MODEL_NAME), prefix])
        listing = os.path.join(work, "words.txt")
        _run(["dawg2wordlist", prefix + "lstm-unicharset", prefix + "lstm-word-dawg", listing])
        raw = Path(listing).read_text(encoding="utf-8", errors="replace")
    forms = {word.casefold() for word in raw.split()}
    return sorted(form for form in forms if form.replace("-", "").isalpha() and not form.startswith("-")
                  and not form.endswith("-"))


def _run(command: list[str]) -> None:
    subprocess.run(command, capture_output=True, timeout=_TOOL_TIMEOUT, check=True)


def encode(forms: Sequence[str], version: str, sha256: str) -> bytes:
    """The cache file: a provenance line, then one form per line; gzip without a timestamp, so
    the same model always gives the same bytes."""
    header = f"{HEADER_PREFIX}{SOURCE_PACKAGE} {version} {MODEL_NAME} sha256={sha256} forms={len(forms)}\n"
    return gzip.compress((header + "".join(f"{form}\n" for form in forms)).encode("utf-8"), 9, mtime=0)


def build(model: Path, out: Path) -> int:
    """Write the cache file for `model` atomically; the number of forms."""
    forms = extract_forms(model)
    data = encode(forms, package_version(), model_sha256(model))
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=out.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; it is a shared cache
        os.replace(temporary, out)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return len(forms)


def decode(data: bytes) -> frozenset[str]:
    lines = gzip.decompress(data).decode("utf-8").split("\n")
    return frozenset(line for line in lines if line and not line.startswith(HEADER_PREFIX))


@lru_cache(maxsize=1)
def tesseract_words() -> frozenset[str]:
    """The case-folded forms of Tesseract's Kazakh word list, or an empty set without it. Built
    into the cache on first use when the cache is missing (about two seconds, once per model)."""
    model = find_model()
    if model is None:
        return frozenset()
    try:
        path = cache_path(model)
        if not path.is_file():
            if not all(shutil.which(tool) for tool in TOOLS):
                return frozenset()
            build(model, path)
        return decode(path.read_bytes())
    except (OSError, subprocess.SubprocessError, ValueError, EOFError, gzip.BadGzipFile):
        return frozenset()  # no cache and no way to make one: the other lexicons still work


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the cache of Tesseract's Kazakh word list.")
    parser.add_argument("--out", type=Path, help="where to write it (default: the cache file)")
    args = parser.parse_args(argv)
    model = find_model()
    if model is None:
        print(f"{SOURCE_PACKAGE} is not installed (apt-get install {SOURCE_PACKAGE} tesseract-ocr)")
        return 1
    missing = [tool for tool in TOOLS if not shutil.which(tool)]
    if missing:
        print(f"{', '.join(missing)} not found (apt-get install tesseract-ocr)")
        return 1
    out = args.out or cache_path(model)
    count = build(model, out)
    print(f"{out}: {count} word forms from {model}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
