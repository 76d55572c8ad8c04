"""Linguistic knowledge as data files: readers for the TSV format every resource uses.

Format: UTF-8, one record a line, columns separated by a TAB; lines starting with ``#`` and blank
lines are comments. The first comment block of each file says what its columns are.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

_HERE = Path(__file__).parent


def path(name: str) -> Path:
    # the package's folder itself, not importlib.resources (a hundredth of a second at start-up, and
    # every resource is read as a file anyway)
    return _HERE / name


def read_tsv(name: str | Path, columns: int | None = None) -> Iterator[list[str]]:
    """Yield the records of a resource TSV, padded with '' to ``columns`` fields."""
    p = Path(name) if isinstance(name, Path) else path(name)
    with p.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = [f.strip() for f in line.split("\t")]
            if columns is not None:
                if len(fields) > columns:
                    raise ValueError(f"{p.name}:{lineno}: {len(fields)} columns, expected at most {columns}")
                fields += [""] * (columns - len(fields))
            yield fields
