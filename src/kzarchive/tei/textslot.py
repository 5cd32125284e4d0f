"""Text added at the end of an lxml element in linear time.

lxml cannot extend an element's text or tail, only replace it, and `len(element)` walks every
child. Adding a paragraph's lines one by one (`slot = slot + line`) therefore re-reads and
re-writes the whole text each time: quadratic in a paragraph of thousands of <lb/>. PendingText
keeps the text for one element in a list and writes it in one piece, before anything else
touches the tree.
"""

from __future__ import annotations

from lxml import etree


def last_child(element: etree._Element) -> etree._Element | None:
    """The last child in constant time (`element[-1]` is; `len(element)` walks every child)."""
    try:
        return element[-1]
    except IndexError:
        return None


def slot_text(element: etree._Element) -> str:
    """The text where content added to `element` goes: the last child's tail, else its text."""
    last = last_child(element)
    return (last.tail if last is not None else element.text) or ""


def set_slot_text(element: etree._Element, text: str) -> None:
    last = last_child(element)
    if last is not None:
        last.tail = text
    else:
        element.text = text


def append_to_slot(element: etree._Element, text: str | None) -> None:
    if not text:
        return
    last = last_child(element)
    if last is not None:
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


class PendingText:
    """Text bound for the end of one element, not yet written to it."""

    def __init__(self) -> None:
        self.element: etree._Element | None = None
        self.parts: list[str] = []  # never an empty string

    def add(self, element: etree._Element, text: str | None) -> None:
        if not text:
            return
        if element is not self.element:
            self.flush()
            self.element = element
        self.parts.append(text)

    def flush(self) -> None:
        """Write the pending text; call before anything else reads or changes the tree."""
        if self.element is not None and self.parts:
            append_to_slot(self.element, "".join(self.parts))
        self.element, self.parts = None, []

    def ends_with_space(self, element: etree._Element) -> bool:
        if element is self.element and self.parts:
            return self.parts[-1][-1].isspace()
        self.flush()
        last = slot_text(element)
        return bool(last) and last[-1].isspace()

    def trim_trailing_space(self, element: etree._Element) -> None:
        """Drop the whitespace at the end of the element's text (pending or written)."""
        dropped = False
        if element is self.element:
            while self.parts:
                trimmed = self.parts[-1].rstrip()
                if trimmed:
                    self.parts[-1] = trimmed
                    return
                self.parts.pop()
                dropped = True
        self.flush()
        text = slot_text(element)
        if text or dropped:  # written whitespace trimmed away leaves an empty text, not none
            set_slot_text(element, text.rstrip())
