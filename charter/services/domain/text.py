"""Names and titles as people will read them.

A name is shown on the register, in work lists, in drop-downs and on certificates: it must look
the same to everyone who reads it. So every name and title is normalised before it is kept
(Unicode NFC, so "é" typed two ways is one name), loses the characters no one can see (control
characters; format characters such as zero-width spaces and joiners, the byte order mark and
the bidirectional overrides and isolates that can make text read backwards; Hangul fillers,
which are "letters" that draw nothing) and has its spaces collapsed; and it must still hold at
least two letters or digits, so a name of zero-width spaces or of "-" cannot be registered.

Forms use ``clean_text`` as a filter and ``visible_name`` as a validator; services call
``clean_text`` too, so the CLI and any other caller get the same result.
"""

from __future__ import annotations

import unicodedata

MIN_VISIBLE = 2
# Letters (Lo) that draw nothing: they would pass a "has letters" check while showing blank.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Cc: control characters; Cf: format characters (U+200B-U+200F, U+202A-U+202E, U+2060-U+2069,
# U+FEFF, soft hyphen...); Cs: lone surrogates, which cannot be stored as UTF-8 anyway.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})


def clean_text(value: str | None) -> str | None:
    """``value`` normalised to NFC, without invisible characters, with each run of whitespace
    (tabs and line breaks included) made one space and none at either end. None stays None."""
    if value is None or not isinstance(value, str):
        return value
    kept = []
    for char in unicodedata.normalize("NFC", value):
        if char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) in _DROPPED_CATEGORIES or char in _INVISIBLE_LETTERS:
            continue
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def visible_count(value: str) -> int:
    """How many letters and digits ``value`` holds (any script)."""
    return sum(
        1
        for char in value
        if unicodedata.category(char)[0] in "LN" and char not in _INVISIBLE_LETTERS
    )


def has_visible_name(value: str | None) -> bool:
    return visible_count(clean_text(value) or "") >= MIN_VISIBLE


def name_message(noun: str = "name") -> str:
    return f"Enter a {noun} with at least {MIN_VISIBLE} letters or numbers"


def placeholder_name(kind: str, row_id: int) -> str:
    """What a stored name that was all invisible characters becomes: visible, unique, and
    plainly a stand-in, so an administrator can find it and ask for the real name."""
    return f"Unnamed {kind} {row_id}"
