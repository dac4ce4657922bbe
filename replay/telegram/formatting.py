"""What a person sees of a formatted message: the text without its markup.

Telegram parses `parse_mode` markup into entities and returns the bare text; expectations
(`reply: {equals: ...}`) are written against that bare text, so the offline session strips the
markup the same way.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_MARKDOWN_V2_ESCAPE = re.compile(r"\\([_*\[\]()~`>#+\-=|{}.!\\])")
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"(?<!\\)(\|\||__|[*_~`])")


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text as a Telegram client shows it."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        if "<" not in text and "&" not in text:
            return text
        collector = _TextCollector()
        collector.feed(text)
        collector.close()
        return "".join(collector.parts)
    if mode in {"markdown", "markdownv2"}:
        text = _MARKDOWN_LINK.sub(r"\1", text)
        text = _MARKDOWN_MARKS.sub("", text)
        return _MARKDOWN_V2_ESCAPE.sub(r"\1", text)
    return text
