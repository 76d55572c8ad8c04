"""Furniture patterns and the outlet list, loaded from resources/ and compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rasd import resources
from rasd.arabic.normalise import Normalised, key, normalise, normalise_pattern

KINDS = ("drop", "meta", "label", "end", "bio", "related")


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]
    note: str


@dataclass(frozen=True, slots=True)
class LineMatch:
    kind: str
    fields: dict[str, str]  # named groups, taken from the original line


@dataclass(frozen=True)
class Furniture:
    rules: tuple[Rule, ...]
    outlets: dict[str, str]  # normalised alias -> canonical outlet name
    outlet_suffix: re.Pattern[str]

    def match(self, line: str) -> LineMatch | None:
        """The first rule a (whitespace-collapsed) line matches, with its fields in original spelling."""
        norm = _normalised_line(line)
        for rule in self.rules:
            m = rule.pattern.search(norm.text)
            if m:
                fields = {}
                for name, value in m.groupdict().items():
                    if value is not None:
                        s, e = norm.span_to_original(*m.span(name))
                        fields[name] = line[s:e].strip()
                return LineMatch(rule.kind, fields)
        if self.outlet_suffix.search(norm.text):
            return LineMatch("drop", {})
        return None

    def outlet_name(self, line: str) -> str | None:
        """The canonical outlet when the whole line is an outlet's name."""
        return self.outlets.get(line_key(line))


# Cleaning looks at each line three times (furniture rules, outlet names, repeated lines): it is
# normalised once. Bounded, so a long stream of articles does not keep its lines alive.
@lru_cache(maxsize=4096)
def _normalised_line(line: str) -> Normalised:
    return normalise(line)


def line_key(line: str) -> str:
    """``key(line)``, from the line's normalised form computed once."""
    return " ".join(_normalised_line(line).text.split())


@lru_cache(maxsize=1)
def furniture() -> Furniture:
    rules = []
    for kind, pattern, note in resources.read_tsv("furniture.tsv", 3):
        if kind not in KINDS:
            raise ValueError(f"furniture.tsv: unknown kind {kind!r}")
        rules.append(Rule(kind, re.compile(normalise_pattern(pattern)), note))
    outlets: dict[str, str] = {}
    for name, _domain, aliases in resources.read_tsv("outlets.tsv", 3):
        for alias in [name, *filter(None, aliases.split("|"))]:
            outlets[key(alias)] = name
    names = "|".join(re.escape(a) for a in sorted(outlets, key=len, reverse=True))
    # "HEADLINE - OUTLET" / "HEADLINE | OUTLET": a link to a story on another site.
    suffix = re.compile(rf"^\S.{{8,}}\s[|\-]\s*(?:{names})\s*$")
    return Furniture(tuple(rules), outlets, suffix)
