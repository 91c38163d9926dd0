"""Escaping of user text for XML: every piece of YAML text passes through ``esc``."""
from __future__ import annotations


def esc(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
