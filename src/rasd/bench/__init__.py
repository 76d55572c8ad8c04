"""Benchmarks: the text path against the ceiling, linearity, the store at size."""
