"""The EPUB edition's title page, navigation document, NCX, landmarks, stylesheet and fonts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from ..errors import ExportError
from ..labels import label
from ..tei import XML_LANG
from ..tei.reading import Metadata
from .epub_xhtml import (
    EPUB_TYPE,
    NAV_FILE,
    NCX_NS,
    TITLE_PAGE_FILE,
    ContentDocument,
    NavEntry,
    Package,
    add_head,
    h,
    serialize_xhtml,
    xhtml_skeleton,
)
from .nodes import Division, ReadingText, iter_blocks

FONT_FAMILY = "PT Serif"  # the face the PDF edition sets, so both editions look alike
FONT_FILE = re.compile(r"fonts/PTSerif-(\d+)-(\w+)\.ttf")


def landmarks(documents: list[ContentDocument], reading: ReadingText,
              emitted_ids: dict[str, str]) -> list[tuple[str, str, str]]:
    """(epub:type, href, label) of the title page, the contents, the main text and the bibliography."""
    lang = reading.lang
    found = [("titlepage", TITLE_PAGE_FILE, label("title-page", lang)),
             ("toc", f"{NAV_FILE}#toc", label("contents", lang))]
    body = next((d for d in documents if d.matter == "body"), None)
    if body is not None:
        found.append(("bodymatter", body.file_name, label("bodymatter", lang)))
    for block in iter_blocks([b for matter in reading.matters for b in matter.blocks]):
        if isinstance(block, Division) and block.type == "bibliography" and block.id in emitted_ids:
            found.append(("bibliography", f"{emitted_ids[block.id]}#{block.id}", label("bibliography", lang)))
            break
    return found


def title_page(metadata: Metadata, title: str, lang: str) -> ContentDocument:
    html, body = xhtml_skeleton(lang)
    section = etree.SubElement(body, h("section"), {"class": "titlepage"})
    section.set(EPUB_TYPE, "titlepage")
    if metadata.authors:
        etree.SubElement(section, h("p"), {"class": "authors"}).text = ", ".join(metadata.authors)
    etree.SubElement(section, h("h1"), {"class": "title"}).text = title
    if metadata.subtitle:
        etree.SubElement(section, h("p"), {"class": "subtitle"}).text = metadata.subtitle
    source_title = metadata.source_title if metadata.source_title != title else ""  # not the title twice
    source = ", ".join(x for x in (source_title, metadata.source_publisher) if x) or metadata.source_filename
    if source:
        etree.SubElement(section, h("p"), {"class": "source"}).text = f"{label('source', lang)}: {source}"
    if metadata.licence:
        etree.SubElement(section, h("p"), {"class": "licence"}).text = f"{label('licence', lang)}: {metadata.licence}"
    add_head(html, title)
    return ContentDocument(TITLE_PAGE_FILE, title, etree.ElementTree(html), "front")


def navigation_document(package: Package, title: str) -> bytes:
    lang = package.languages[0]
    html, body = xhtml_skeleton(lang)
    add_head(html, title)
    toc = etree.SubElement(body, h("nav"), {"id": "toc", "role": "doc-toc"})
    toc.set(EPUB_TYPE, "toc")
    etree.SubElement(toc, h("h1")).text = label("contents", lang)
    nav_list(toc, package.nav_entries)
    marks = etree.SubElement(body, h("nav"), {"id": "landmarks", "hidden": "hidden",
                                              "aria-label": label("landmarks", lang)})
    marks.set(EPUB_TYPE, "landmarks")
    marks_list = etree.SubElement(marks, h("ol"))
    for kind, href, name in package.landmarks:
        link = etree.SubElement(etree.SubElement(marks_list, h("li")), h("a"), {"href": href})
        link.set(EPUB_TYPE, kind)
        link.text = name
    if package.pages:  # an empty page-list is invalid; a book without source pages gets none
        pages = etree.SubElement(body, h("nav"), {"id": "page-list", "hidden": "hidden",
                                                  "aria-label": label("pages", lang)})
        pages.set(EPUB_TYPE, "page-list")
        page_list = etree.SubElement(pages, h("ol"))
        for page in package.pages:
            link = etree.SubElement(etree.SubElement(page_list, h("li")), h("a"))
            link.set("href", f"{page.file_name}#{page.fragment}")
            link.text = page.label
    return serialize_xhtml(etree.ElementTree(html))


def nav_list(parent: etree._Element, entries: list[NavEntry]) -> None:
    ordered = etree.SubElement(parent, h("ol"))
    for entry in entries:
        item = etree.SubElement(ordered, h("li"))
        etree.SubElement(item, h("a"), {"href": entry.href}).text = entry.label
        if entry.children:
            nav_list(item, entry.children)


def ncx_document(package: Package, title: str) -> bytes:
    """The EPUB 2 table of contents, for older reading systems."""
    ncx = etree.Element(f"{{{NCX_NS}}}ncx", nsmap={None: NCX_NS}, version="2005-1")  # type: ignore[dict-item]
    ncx.set(XML_LANG, package.languages[0])
    head = etree.SubElement(ncx, f"{{{NCX_NS}}}head")
    meta = {"dtb:uid": package.identifier, "dtb:depth": str(nav_depth(package.nav_entries)),
            "dtb:totalPageCount": "0", "dtb:maxPageNumber": "0"}
    for name, content in meta.items():
        etree.SubElement(head, f"{{{NCX_NS}}}meta", {"name": name, "content": content})
    doc_title = etree.SubElement(ncx, f"{{{NCX_NS}}}docTitle")
    etree.SubElement(doc_title, f"{{{NCX_NS}}}text").text = title
    nav_map = etree.SubElement(ncx, f"{{{NCX_NS}}}navMap")
    counter = iter(range(1, 1_000_000))
    ncx_points(nav_map, package.nav_entries, counter)
    return etree.tostring(ncx, xml_declaration=True, encoding="utf-8", pretty_print=True)


def ncx_points(parent: etree._Element, entries: list[NavEntry], counter: Iterator[int]) -> None:
    for entry in entries:
        order = next(counter)
        point = etree.SubElement(parent, f"{{{NCX_NS}}}navPoint", {"id": f"np-{order}", "playOrder": str(order)})
        nav_label = etree.SubElement(point, f"{{{NCX_NS}}}navLabel")
        etree.SubElement(nav_label, f"{{{NCX_NS}}}text").text = entry.label
        etree.SubElement(point, f"{{{NCX_NS}}}content", {"src": entry.href})
        ncx_points(point, entry.children, counter)


def nav_depth(entries: list[NavEntry]) -> int:
    return 1 + max((nav_depth(e.children) for e in entries), default=0) if entries else 0


def font_files() -> list[tuple[str, bytes]]:
    """PT Serif from the fontpkg-pt-serif package (the PDF edition's face), one file per style."""
    try:
        import fontpkg

        family = fontpkg.family(FONT_FAMILY)
    except Exception as exc:  # ImportError or fontpkg.FamilyNotInstalled
        raise ExportError(f"cannot embed {FONT_FAMILY}: install fontpkg-pt-serif ({exc})") from None
    files = sorted(family.files, key=lambda f: (f.weight or 400, f.style))
    return [(f"fonts/{font_face_name(f.weight or 400, f.style)}", f.path.read_bytes()) for f in files]


def font_face_name(weight: int, style: str) -> str:
    return f"PTSerif-{weight}-{style}.ttf"


def stylesheet(fonts: list[tuple[str, bytes]]) -> bytes:
    faces = []
    for name, _ in fonts:
        match = FONT_FILE.match(name)
        if match is None:
            continue
        weight, style = match.groups()
        faces.append(
            "@font-face {\n"
            f'  font-family: "{FONT_FAMILY}";\n  font-weight: {weight};\n  font-style: {style};\n'
            f'  src: url("../{name}");\n}}\n'
        )
    family = f'"{FONT_FAMILY}", ' if fonts else ""
    return ("".join(faces) + BOOK_CSS.replace("FAMILY, ", family)).encode("utf-8")


BOOK_CSS = """\
html, body { margin: 0; padding: 0; }
body {
  font-family: FAMILY, "PT Serif", Georgia, serif;
  line-height: 1.45;
  text-align: justify;
  -webkit-hyphens: auto;
  -epub-hyphens: auto;
  hyphens: auto;
  widows: 2;
  orphans: 2;
}
h1, h2, h3, h4, h5, h6 {
  text-align: left;
  -webkit-hyphens: manual;
  -epub-hyphens: manual;
  hyphens: manual;
  line-height: 1.25;
  page-break-after: avoid;
  break-after: avoid;
}
h1 { font-size: 1.5em; margin: 1.5em 0 1em; }
h2 { font-size: 1.3em; margin: 1.3em 0 0.8em; }
h3 { font-size: 1.15em; margin: 1.2em 0 0.6em; }
h4, h5, h6 { font-size: 1em; margin: 1em 0 0.5em; }
p { margin: 0; text-indent: 1.5em; }
p.continued, p.byline, p.head, p.list-head, li p, aside p, blockquote p:first-child { text-indent: 0; }
p.byline { font-style: italic; text-align: right; margin: 0.5em 0 1em; }
p.list-head { font-weight: bold; margin-top: 0.8em; }
blockquote { margin: 0.8em 1.5em; font-size: 0.95em; }
ul, ol { margin: 0.5em 0 0.5em 1.5em; padding: 0; }
ul.list-dash { list-style-type: none; }
ul.list-dash:not(.labelled) > li::before { content: "\\2013\\00A0"; margin-left: -1em; }
ol.labelled, ul.labelled { list-style-type: none; }
ul.bibliography { list-style-type: none; margin-left: 0; }
ul.bibliography > li { margin: 0 0 0.4em 1.5em; text-indent: -1.5em; text-align: left; }
a.noteref { vertical-align: super; font-size: 0.75em; line-height: 0; text-decoration: none; }
div.footnotes { margin-top: 2em; border-top: 1px solid #999; padding-top: 0.5em; font-size: 0.9em; }
aside.footnote { margin: 0.3em 0; }
a.backlink { font-weight: bold; text-decoration: none; }
section.titlepage { text-align: center; margin-top: 20%; }
section.titlepage h1 { font-size: 1.8em; text-align: center; }
section.titlepage p { text-indent: 0; text-align: center; margin: 0.6em 0; }
section.titlepage p.source, section.titlepage p.licence { font-size: 0.85em; margin-top: 2em; }
figure.figure { margin: 1em 0; text-align: center; }
figure.figure figcaption { font-style: italic; font-size: 0.9em; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border: 1px solid #999; padding: 0.2em 0.4em; vertical-align: top; }
nav ol { list-style-type: none; }
"""
