"""Every reader-facing word the editions print, by language, in one table.

A label is looked up by its key and the edition's language (`label("contents", "ru")`); a language the
table does not know gets English. Kept outside `export/` because the TEI encoder and the reading view
need some of them too (the supplied title, the unknown-licence statement), and `tei/` must not import
`export/`.
"""

from __future__ import annotations

from typing import Final

# The languages every label is given in; a test checks that no entry lacks one.
LANGUAGES: Final = ("kk", "ru", "en")

LABELS: Final[dict[str, dict[str, str]]] = {
    # Headings and navigation
    "contents": {"kk": "Мазмұны", "ru": "Содержание", "en": "Contents"},
    "bodymatter": {"kk": "Негізгі мәтін", "ru": "Основной текст", "en": "Main text"},
    "bibliography": {"kk": "Әдебиеттер", "ru": "Литература", "en": "Bibliography"},
    "title-page": {"kk": "Титул бет", "ru": "Титульный лист", "en": "Title page"},
    "pages": {"kk": "Беттер", "ru": "Страницы", "en": "Pages"},
    "notes": {"kk": "Ескертпелер", "ru": "Примечания", "en": "Notes"},
    "landmarks": {"kk": "Бағдарлар", "ru": "Ориентиры", "en": "Landmarks"},
    # The title page
    "source": {"kk": "Дереккөз", "ru": "Источник", "en": "Source"},
    "licence": {"kk": "Лицензия", "ru": "Лицензия", "en": "Licence"},
    "unknown-licence": {
        "kk": "Дереккөзде лицензия көрсетілмеген.",
        "ru": "Лицензия в источнике не указана.",
        "en": "The source does not state its licence.",
    },
    # A title supplied by the cataloguer when the source has none (tei/encode.py): "<label> (file name)".
    "untitled": {"kk": "Атаусыз мәтін", "ru": "Текст без названия", "en": "Untitled text"},
    # The supplied title of an extract of several articles (tei/encode.py): "<label>: title; title".
    "journal-extract": {"kk": "Журнал нөмірінен үзінді", "ru": "Фрагмент номера журнала",
                        "en": "Extract from a journal issue"},
    # DOCX: the contents field before Word or LibreOffice first updates it, and the document's comment.
    "update-contents": {
        "kk": "Мазмұнды жаңарту үшін F9 пернесін басыңыз.",
        "ru": "Нажмите F9, чтобы обновить содержание.",
        "en": "Press F9 to update the table of contents.",
    },
    "edition-note": {
        "kk": "{source} оқырман басылымы: kzarchive{version} TEI негізгі файлынан жасаған.",
        "ru": "Читательское издание {source}, сделанное kzarchive{version} из мастер-файла TEI.",
        "en": "Reader edition of {source}, made from its TEI master by kzarchive{version}.",
    },
}


def in_language(texts: dict[str, str], language: str) -> str:
    """The text for a language tag ("kk", "ru-RU"), English when the language has none."""
    return texts.get(language.split("-")[0].lower(), texts["en"])


def label(key: str, language: str) -> str:
    """The reader-facing label `key` in `language` (English when the table lacks the language)."""
    return in_language(LABELS[key], language)
