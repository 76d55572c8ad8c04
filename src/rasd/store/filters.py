"""WHERE conditions from optional filters, shared by the listings (analysis) and search (no SQLAlchemy)."""

from __future__ import annotations


def conditions(*specs: tuple[str, object, str]) -> tuple[list[str], dict]:
    """WHERE conditions for the filters given: each spec is (parameter name, value, condition)."""
    where, params = [], {}
    for name, value, cond in specs:
        if value is not None and value != "":
            where.append(cond)
            params[name] = value
    return where, params
