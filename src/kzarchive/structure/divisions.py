"""Blocks → nested divisions: thesis parts and chapters, or the articles of a journal issue."""

from __future__ import annotations

import re

from ..model import Block, Division, Node
from .headings import HeadingInfo, classify_heading, is_author_line

_BACK_TYPES = {"bibliography", "appendix"}


def is_journal(blocks: list[Block]) -> bool:
    """A journal extract prints an author line right above each ALL-CAPS article title."""
    for index, block in enumerate(blocks[:-1]):
        if is_author_line(block):
            following = _next_text_block(blocks, index)
            info = classify_heading(following) if following else None
            if info and info.div_type == "caps":
                return True
    return False


def _next_text_block(blocks: list[Block], index: int) -> Block | None:
    for block in blocks[index + 1:]:
        if block.kind != "milestone":
            return block
    return None


def build_divisions(blocks: list[Block], hints: dict[str, HeadingInfo] | None = None,
                    hints_after: int = 0) -> tuple[list[Division], list[Node], list[Division]]:
    """Return (front, body, back). `hints` (from a contents list) name headings found only after
    source line `hints_after`, so the contents entries themselves are never taken for headings."""
    if is_journal(blocks):
        return [], _articles(blocks), []
    return _thesis_parts(blocks, hints or {}, hints_after)


def _articles(blocks: list[Block]) -> list[Node]:
    articles: list[Division] = []
    current = Division("article", subtype="fragment")
    pending_authors: list[Block] = []
    for index, block in enumerate(blocks):
        info = classify_heading(block)
        if is_author_line(block):
            following = _next_text_block(blocks, index)
            if following and (classify_heading(following) or is_author_line(following)):
                pending_authors.append(block)
                continue
        if info and info.div_type in ("bibliography", "bibliography-part") and (current.heads or current.children):
            _open_article_bibliography(current, block)
            continue
        if info and info.div_type == "caps":
            block.div_type = "article"
            if current.heads and not current.children and not pending_authors:
                current.heads.append(block)  # a title printed over two lines
                continue
            articles.append(current)
            current = Division("article", heads=[block], bylines=pending_authors)
            pending_authors = []
            continue
        _article_target(current).extend(pending_authors)
        pending_authors = []
        _article_target(current).append(block)
    _article_target(current).extend(pending_authors)
    articles.append(current)
    articles = [a for a in articles if a.heads or a.children]
    for article in articles:
        if article.heads:
            article.subtype = ""
        for head in article.heads:
            head.kind = "head"
    if articles and articles[-1].heads and _ends_mid_sentence(articles[-1]):
        articles[-1].subtype = "fragment"  # the extract stops inside the last article ("То, что в дальнейшем")
    return list(articles)


def _ends_mid_sentence(article: Division) -> bool:
    """The article's last paragraph stops without a sentence end: the extract cut it off."""
    last = None
    for node in reversed(article.children):
        if isinstance(node, Block) and node.kind == "p":
            last = node
            break
    if last is None:
        return False
    text = last.plain_text().rstrip()
    return bool(text) and not re.search(r"[.!?…:;»\"”)\]]$", text)


def _open_article_bibliography(article: Division, head: Block) -> None:
    """An article's own reference list (ӘДЕБИЕТТЕР) is a subdivision of that article."""
    head.kind = "head"
    article.children.append(Division("bibliography", heads=[head]))


def _article_target(article: Division) -> list[Node]:
    """Where the next block of an article goes: into its reference list once that has begun."""
    last = article.children[-1] if article.children else None
    if isinstance(last, Division) and last.type == "bibliography":
        return last.children
    return article.children


def _thesis_parts(blocks: list[Block], hints: dict[str, HeadingInfo],
                  hints_after: int) -> tuple[list[Division], list[Node], list[Division]]:
    front: list[Division] = []
    body: list[Node] = []
    back: list[Division] = []
    stack: list[tuple[int, Division]] = []
    in_back = False
    for block in blocks:
        info = classify_heading(block, hints if block.first_line > hints_after else None)
        if info is None:
            if stack:
                stack[-1][1].children.append(block)
            else:
                body.append(block)
            continue
        if stack and _continues_heading(stack[-1][1], info):
            stack[-1][1].heads.append(block)
            block.kind, block.div_type = "head", info.div_type
            continue
        division = _division_for(block, info)
        level = info.level if info.div_type != "bibliography-part" else 2
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack:
            stack[-1][1].children.append(division)
        elif division.type == "contents":
            front.append(division)
        elif division.type in _BACK_TYPES or in_back:
            in_back = True
            back.append(division)
        else:
            body.append(division)
        stack.append((level, division))
    return front, body, back


def _continues_heading(division: Division, info: HeadingInfo) -> bool:
    """ALL-CAPS lines right after a heading with nothing between them continue that heading."""
    return info.div_type == "caps" and not division.children and bool(division.heads)


def _division_for(block: Block, info: HeadingInfo) -> Division:
    block.kind = "head"
    block.div_type = info.div_type  # what recognised it: how sure the heading is (decisions.HEADING_CONFIDENCE)
    div_type = {"caps": "chapter", "bibliography-part": "bibliography"}.get(info.div_type, info.div_type)
    return Division(div_type, heads=[block], n=info.number)
