"""Plain text from what the public types: no HTML, no scripts. Pure functions, no ORM."""

import hashlib
import re

from django.utils.html import escape, strip_tags

# Whole script/style elements go, content and all: strip_tags alone would keep the code.
_DANGEROUS_BLOCKS = re.compile(
    r"<\s*(script|style|iframe|object|embed|template)\b.*?(<\s*/\s*\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def clean_plain_text(value: str, *, multiline: bool = False) -> str:
    """Give `value` without HTML tags or scripts, with tidy whitespace."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    value = strip_tags(_DANGEROUS_BLOCKS.sub("", value))
    # strip_tags leaves entities (&lt;script&gt;) as text; they are escaped again on output.
    if not multiline:
        return _SPACES.sub(" ", value.replace("\n", " ")).strip()
    lines = [_SPACES.sub(" ", line).strip() for line in value.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def paragraphs(text: str) -> list[str]:
    """Give the paragraphs of plain text (split on blank lines)."""
    return [p.strip() for p in _BLANK_LINES.split(text or "") if p.strip()]


def paragraph_html(paragraph: str) -> str:
    """Give one paragraph as safe rich-text HTML; single line breaks become <br>."""
    return "<p>" + "<br>".join(escape(line) for line in paragraph.split("\n")) + "</p>"


def content_fingerprint(*parts: str) -> str:
    """Give a hash of the words in `parts`, ignoring case, spacing and punctuation."""
    words = " ".join(re.findall(r"\w+", " ".join(parts).lower()))
    return hashlib.sha256(words.encode()).hexdigest()
