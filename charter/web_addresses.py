"""Splitting a web address that came from outside: a form, an imported file, a remote page.

``urllib.parse.urlsplit`` raises ``ValueError`` on some text ("https://[" is an unclosed IPv6
host) and ``SplitResult.port`` raises on a port that is not a number. A person's typing or a
publisher's file must get a message, never a server error (the form fuzz found "[" in the
registration form's website box), so every such address is split here.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit


def split_web_address(text: str) -> SplitResult | None:
    """``text`` split into its parts, or None if it cannot be one web address."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a port that is not a number from 0 to 65535
    except ValueError:
        return None
    return parts


def is_web_address(text: str, schemes: tuple[str, ...] = ("http", "https")) -> bool:
    """Whether ``text`` is an absolute address with one of ``schemes`` and a host name."""
    parts = split_web_address(text)
    return parts is not None and parts.scheme in schemes and bool(parts.hostname)
