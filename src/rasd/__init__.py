"""Rasd: Arabic-first extraction of who did what to whom, when, where, how many, and who says so."""

__version__ = "0.1.0"
