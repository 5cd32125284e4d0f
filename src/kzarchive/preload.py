"""Language data loaded once, before the workers of a pool are forked (imported by the pool's fork
server: `pool.py`), so that every worker converts its first document as fast as its second and the
workers share these pages copy-on-write instead of each reading its own copy.

Importing this module loads the data (the fork server can only be told to import modules). Everything
here is what cleaning and structure load on first use anyway (each loader is cached per process); a
loader that fails here fails again, with its own message, in the document that needs it.
"""

from __future__ import annotations

from collections.abc import Callable


def load_language_data() -> list[str]:
    """Load the shared language data; returns the names of the loaders that failed."""
    from .lexicon.clitics import CliticModel
    from .lexicon.hunspell import load_kazakh_hunspell
    from .lexicon.russian import RussianWordModel, RussianWords
    from .lexicon.seams import BoundaryModel
    from .lexicon.segment import SyllableRepairer
    from .lexicon.tesseract import tesseract_words
    from .lexicon.wordlist import Lexicon
    from .structure.languages import warm_detector

    def repairer() -> object:
        made = SyllableRepairer()  # the lexicon, letter and suffix-ending models, word lists
        russian = RussianWords.default()
        return RussianWordModel(made.model, russian) if russian else made

    def hunspell() -> object:
        checker = load_kazakh_hunspell()
        return checker.lookup("қазақ") if checker is not None else None  # reads the dictionary

    steps: dict[str, Callable[[], object]] = {
        "lexicon": Lexicon.default, "tesseract": tesseract_words, "clitics": CliticModel.default,
        "seams": BoundaryModel.default, "repairer": repairer, "hunspell": hunspell, "languages": warm_detector,
    }
    failed = []
    for name, step in steps.items():
        try:
            step()
        except Exception:  # the document that needs it reports it
            failed.append(name)
    return failed


FAILED = load_language_data()
