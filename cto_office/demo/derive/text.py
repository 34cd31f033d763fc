"""Text clean-up for the derivation: HTML and Markdown stripped, ASCII slugs and usernames."""

from __future__ import annotations

import html
import re
import unicodedata


def strip_html(text: str | None) -> str:
    """``<a href="…">Senior Backend Engineer, Create</a>`` → ``Senior Backend Engineer, Create``.

    Tags are removed, entities decoded and whitespace collapsed.
    """
    text = re.sub(r"<[^>]*>", "", text or "")
    return " ".join(html.unescape(text).split())


def strip_markdown(text: str) -> str:
    """Drop Markdown links (keeping their text), bold markers and kramdown attributes."""
    text = re.sub(r"\{:[^}]*\}", "", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("**", "").replace("\\", "")
    text = re.sub(r"\s+[\w.-]+(?:/[\w.-]+)*[&#]\d+\b", "", text)  # epic and issue references
    return " ".join(text.split())


def slugify(text: str) -> str:
    text = ascii_fold(text).lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


_EXTRA_FOLDS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "œ": "oe",
    }
)


def ascii_fold(text: str) -> str:
    """``Łukasz Müller`` → ``Lukasz Muller`` (for usernames and slugs)."""
    text = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return text.encode("ascii", "ignore").decode("ascii")
