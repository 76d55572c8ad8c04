"""The one reader of Arabic proclitics (resources/clitics.tsv).

Every stage that allows a clitic before a word or strips one (the entity stage, event triggers,
attribution, the search index, the NER tokeniser) takes its set from here, so a clitic added to the
file is known everywhere at once.
"""

from __future__ import annotations

from functools import lru_cache

from rasd import resources
from rasd.arabic.normalise import normalise_str
from rasd.regex_words import trie_regex

# Kinds that never stand before a name or noun: the future س and the particle قد (verbs only).
_VERB_ONLY = ("future", "particle")


@lru_cache(maxsize=1)
def proclitics() -> tuple[tuple[str, str], ...]:
    """(clitic, kind) pairs in normalised spelling, longest first."""
    rows = [(normalise_str(c), kind) for c, kind, *_ in resources.read_tsv("clitics.tsv", 3)]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def _is_noun_clitic(kind: str) -> bool:
    return not any(part in _VERB_ONLY for part in kind.split("+"))


@lru_cache(maxsize=1)
def name_proclitics() -> frozenset[str]:
    """Proclitics that may stand before a name or noun (not the verbs' future س or قد), normalised."""
    return frozenset(c for c, kind in proclitics() if _is_noun_clitic(kind))


@lru_cache(maxsize=1)
def article_prefixes() -> tuple[str, ...]:
    """The article with what may stand before it (ال، لل، وال، بال، وبال ...), longest first."""
    return tuple(c for c, kind in proclitics() if "article" in kind.split("+"))


@lru_cache(maxsize=1)
def letter_proclitics() -> frozenset[str]:
    """One-letter conjunctions and prepositions (و ف ب ل ك)."""
    return frozenset(c for c, kind in proclitics() if len(c) == 1 and kind in ("conj", "prep"))


@lru_cache(maxsize=1)
def conjunctions() -> frozenset[str]:
    """One-letter conjunctions (و ف)."""
    return frozenset(c for c, kind in proclitics() if kind == "conj")


@lru_cache(maxsize=1)
def lil_prefixes() -> frozenset[str]:
    """Prepositions ending in ل, after which the article loses its alef (للولايات = ل + الولايات)."""
    return frozenset(c for c, kind in proclitics() if kind.endswith("prep") and c.endswith("ل"))


def alternation(clitics) -> str:
    """A regular-expression alternation of clitics, longest first (as a trie: rasd.regex_words)."""
    return trie_regex(clitics)


@lru_cache(maxsize=4)
def clitic_group(verbs: bool = False) -> str:
    """An optional group matching one proclitic before a word: ``(?:وال|...|و)?``; with ``verbs``,
    also the verb-only ones (قد، وقد، فقد; not the future س, which event triggers spell themselves)."""
    chosen = [c for c, kind in proclitics() if _is_noun_clitic(kind) or (verbs and kind.split("+")[-1] == "particle")]
    return f"(?:{alternation(chosen)})?"


def split_proclitics(word: str, min_stem: int = 2) -> list[tuple[str, str]]:
    """Every (prefix, stem) reading of a normalised word, the bare word first.

    ``لروسيا`` gives [("", "لروسيا"), ("ل", "روسيا")]; ``للولايات`` also gives ("لل", "الولايات")
    since ل + ال loses the alef.
    """
    out = [("", word)]
    for clitic, lil in _noun_clitics():
        if word.startswith(clitic) and len(word) - len(clitic) >= min_stem:
            stem = word[len(clitic):]
            out.append((clitic, stem))
            if lil:
                out.append((clitic, "ال" + stem))
    return out


@lru_cache(maxsize=1)
def _noun_clitics() -> tuple[tuple[str, bool], ...]:
    """(clitic, whether it is ل+ال without the alef), longest first, for split_proclitics."""
    return tuple((c, kind.endswith("prep+article") and c.endswith("لل")) for c, kind in proclitics() if _is_noun_clitic(kind))
