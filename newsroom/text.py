"""Plain text from the sanitised HTML editors write, for excerpts, search and revision diffs."""

import re
from html import unescape

# Pasted from word processors, these make feeds and sitemaps invalid XML.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A tag of the sanitised HTML, quoted attribute values included. A regular expression rather than
# Django's strip_tags, which parses: ten times slower, and search results convert 20 bodies.
TAG = re.compile(r"""<[a-zA-Z/!](?:[^>"']|"[^"]*"|'[^']*')*>""")
# Where one block of text ends and the next begins: a space in plain text, a new line in a diff.
BLOCK_END = re.compile(
    r"</(?:p|h[1-6]|li|blockquote|div|pre|td|th|tr|figcaption)\s*>|<br\s*/?>|<hr\s*/?>", re.I
)


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def _plain(html: str) -> str:
    return " ".join(unescape(TAG.sub("", html)).split())


def html_to_text(html: str) -> str:
    """Readable plain text: blocks are separated by a space, inline tags leave words whole."""
    return _plain(BLOCK_END.sub(" ", html or ""))


def html_blocks(html: str) -> list[str]:
    """The text of each paragraph, heading, list item or cell, empty ones left out."""
    blocks = (_plain(chunk) for chunk in BLOCK_END.split(html or ""))
    return [block for block in blocks if block]


def cut_at_word(text: str, length: int) -> str:
    """The text cut at the last word boundary before `length`, with "…" when cut."""
    if len(text) <= length:
        return text
    head, space, _ = text[: length + 1].rpartition(" ")
    return (head if space else text[:length]).rstrip(" ,.;:—–-") + "…"


def excerpt(html: str, length: int) -> str:
    """The beginning of a text or HTML as plain text, cut at a word."""
    return cut_at_word(html_to_text(html), length)
