"""Text helpers: chunking enormous input and restoring case in all-lower or all-upper text."""

from __future__ import annotations

import re

from .lexicon import (
    AMBIGUOUS_NAME_WORDS,
    GENERIC_CAPITALIZED,
    STOP_WORDS_EN_ES,
    TITLES,
    first_names,
    surnames,
)

DEFAULT_CHUNK_CHARS = 20_000


def split_chunks(text: str, max_chars: int = DEFAULT_CHUNK_CHARS) -> list[tuple[int, str]]:
    """(offset, chunk) pieces covering text exactly, cut at paragraph, line or sentence ends."""
    if max_chars < 100:
        raise ValueError("max_chars must be at least 100")
    chunks: list[tuple[int, str]] = []
    start = 0
    n = len(text)
    while start < n:
        if n - start <= max_chars:
            chunks.append((start, text[start:]))
            break
        window_end = start + max_chars
        floor = start + max_chars // 2
        cut = -1
        for separator in ("\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " "):
            position = text.rfind(separator, floor, window_end)
            if position != -1:
                cut = position + len(separator)
                break
        if cut <= start:
            cut = window_end
        chunks.append((start, text[start:cut]))
        start = cut
    return chunks


_LETTERS = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"[^\W\d_][\w'’]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*|[\"“]\s*)([^\W\d_])")


def _upper_char(ch: str) -> str:
    up = ch.upper()
    return up if len(up) == 1 else ch


def restore_case(text: str) -> str | None:
    """A same-length copy of all-lower/all-upper text with names and sentence starts capitalised.

    Statements typed on phones are often all lower case, and some exports are all upper case;
    both hide the capital letters that name detection relies on. Returns None when the text
    already has normal casing.
    """
    letters = _LETTERS.findall(text)
    if len(letters) < 8:
        return None
    upper = sum(1 for ch in letters if ch.isupper())
    ratio = upper / len(letters)
    if ratio > 0.8:
        base = text.lower()
        if len(base) != len(text):
            return None
    elif upper <= max(1, len(letters) // 200) and ratio < 0.02:
        base = text
    else:
        return None
    chars = list(base)
    names_first, names_last = first_names(), surnames()
    previous_is_name = False
    for match in _WORDS.finditer(base):
        word = match.group(0).lower()
        bare = re.sub(r"['’]s$", "", word)
        if bare in TITLES:
            previous_is_name = True
            continue
        common = bare in STOP_WORDS_EN_ES or bare in GENERIC_CAPITALIZED
        # Many surnames are also words ("people", "story"): only after a first name or title.
        is_name = not common and (
            (bare in names_first and bare not in AMBIGUOUS_NAME_WORDS)
            or (previous_is_name and bare in names_last)
        )
        if is_name:
            chars[match.start()] = _upper_char(chars[match.start()])
        previous_is_name = is_name
    for match in _SENTENCE_START.finditer(base):
        chars[match.start(1)] = _upper_char(chars[match.start(1)])
    restored = "".join(chars)
    return restored if len(restored) == len(text) else None
