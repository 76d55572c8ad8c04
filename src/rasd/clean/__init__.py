"""Cleaning: HTML to text, furniture removal, metadata, embedded articles."""

from rasd.clean.html import html_to_article
from rasd.clean.text import Cleaned, clean_text

__all__ = ["Cleaned", "clean_text", "html_to_article"]
