"""Whitespace of a line of inlines, settled once for every edition.

Runs of whitespace become one space across node boundaries, a line's ends are trimmed, neighbouring
text is one Text node, and a joined line end (<lb break="no"/>, a page turn inside a word) removes the
spaces on both sides of it, so "тәуел<lb break="no"/>сіздік" reads as one word.
"""

from __future__ import annotations

import re

from .nodes import Inline, Link, PageBreak, Span, Text

_SPACES = re.compile(r"\s+")


class Join(Text):
    """Marks a joined line end while a line is being read; `settle` removes it."""

    def __init__(self) -> None:
        super().__init__("")


def settle(inlines: list[Inline]) -> list[Inline]:
    """The line with its whitespace settled (see the module docstring)."""
    settler = _Settler()
    out = settler.run(inlines)
    settler.trim()
    return _drop_empty(out)


def has_text(inlines: list[Inline]) -> bool:
    """Whether a line holds any words (page turns and note calls are not words of the line)."""
    for node in inlines:
        if isinstance(node, Text) and node.text.strip():
            return True
        if isinstance(node, Span | Link) and has_text(node.children):
            return True
    return False


class _Settler:
    def __init__(self) -> None:
        self.after_space = True  # at the line's start leading spaces are dropped
        self.last: list[str] | Text | None = None  # the text run written last, to trim at a join

    def run(self, inlines: list[Inline]) -> list[Inline]:
        out: list[Inline] = []
        pieces: list[str] = []  # joined once: adding to a growing string would be quadratic

        def flush() -> None:
            nonlocal pieces
            if pieces:
                node = Text("")
                out.append(node)
                if self.last is pieces:
                    self.last = node
                node.text = "".join(pieces)
                pieces = []

        for node in inlines:
            if isinstance(node, Join):
                self.trim()
                self.after_space = True
            elif isinstance(node, Text):
                text = _SPACES.sub(" ", node.text)
                if self.after_space:
                    text = text.lstrip(" ")
                if text:
                    pieces.append(text)
                    self.last = pieces
                    self.after_space = text.endswith(" ")
            else:
                flush()
                if isinstance(node, PageBreak) and node.joins:
                    self.trim()
                    self.after_space = True
                elif isinstance(node, Span | Link):
                    node.children = self.run(node.children)
                out.append(node)
        flush()
        return out

    def trim(self) -> None:
        """Drop the spaces at the end of the text written last."""
        last = self.last
        if isinstance(last, Text):
            last.text = last.text.rstrip(" ")
        elif isinstance(last, list):
            while last and not last[-1].strip(" "):
                last.pop()
            if last:
                last[-1] = last[-1].rstrip(" ")


def _drop_empty(inlines: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and not node.text:
            continue
        if isinstance(node, Span | Link):
            node.children = _drop_empty(node.children)
            if not node.children and not (isinstance(node, Span) and node.id):
                continue
        out.append(node)
    return out



