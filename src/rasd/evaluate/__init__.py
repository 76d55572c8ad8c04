"""Scoring Rasd's output against gold files (``rasd eval``)."""
