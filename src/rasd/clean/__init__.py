"""Cleaning: HTML to text, furniture removal, metadata, embedded articles."""

from rasd.clean.text import Cleaned, clean_text

__all__ = ["Cleaned", "clean_text", "html_to_article"]


def __getattr__(name: str):
    # trafilatura (HTML) takes a tenth of a second to import: only when HTML is cleaned
    if name == "html_to_article":
        from rasd.clean.html import html_to_article

        return html_to_article
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
