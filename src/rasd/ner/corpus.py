"""Reading the labelled corpora: "token TAG" per line, a blank line between sentences (CoNLL).

Tags are brought to one scheme, BIO over PERS, LOC, ORG and MISC: AQMAR's PER and MIS0..MIS3
(and its handful of typos) are mapped, and Wojood's extra layers and types are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

TYPES = ("PERS", "LOC", "ORG", "MISC")
_TYPE_ALIASES = {"PER": "PERS", "PERS": "PERS", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC", "GPE": "LOC"}


@dataclass(frozen=True, slots=True)
class Sentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]


def normalise_tag(tag: str) -> str:
    tag = tag.strip().upper()
    if len(tag) < 3 or tag[0] not in "BI" or tag[1] != "-":
        return "O"
    kind = tag[2:].lstrip("-")
    if kind.startswith("MIS"):
        kind = "MISC"
    kind = _TYPE_ALIASES.get(kind)
    return f"{tag[0]}-{kind}" if kind else "O"


def read_conll(path: Path, wojood: bool = False) -> list[Sentence]:
    """Sentences of one file. For Wojood only the outer layer of PERS/ORG/GPE/LOC is kept."""
    out: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if toks:
                out.append(Sentence(tuple(toks), tuple(repair_bio(tags))))
                toks, tags = [], []
            continue
        toks.append(parts[0])
        tag = "O"
        for t in parts[1:]:
            t = t.upper()
            if wojood and t[2:] not in ("PERS", "ORG", "GPE", "LOC"):
                continue
            tag = normalise_tag(t)
            if tag != "O":
                break
        tags.append(tag)
    if toks:
        out.append(Sentence(tuple(toks), tuple(repair_bio(tags))))
    return out


def repair_bio(tags: Sequence[str]) -> list[str]:
    """An I- tag that follows nothing of its type starts an entity (the corpora have a few)."""
    fixed = []
    prev = "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        fixed.append(t)
        prev = t
    return fixed


@dataclass(frozen=True, slots=True)
class Corpora:
    train: list[Sentence]
    test: list[Sentence]
    extra: dict[str, list[Sentence]]


def load(data: Path) -> Corpora:
    """ANERcorp train/test (CAMeL Lab split) and, where present, AQMAR and the Wojood sample."""
    ner = data / "ner"
    aner = ner / "anercorp"
    train = read_conll(aner / "ANERCorp_CamelLab_train.reconstructed.txt")
    test = read_conll(aner / "ANERCorp_CamelLab_test.reconstructed.txt")
    extra: dict[str, list[Sentence]] = {}
    aqmar = ner / "aqmar" / "articles"
    if aqmar.is_dir():
        extra["aqmar"] = [s for f in sorted(aqmar.glob("*.txt")) for s in read_conll(f)]
    wojood = ner / "wojood_sample"
    if wojood.is_dir():
        extra["wojood"] = [s for f in ("train.txt", "val.txt", "test.txt") for s in read_conll(wojood / f, wojood=True)]
    return Corpora(train, test, extra)


def spans(tags: tuple[str, ...] | list[str]) -> set[tuple[int, int, str]]:
    """Entity spans (start, end, type) of a BIO sequence, seqeval-style (an I- after O starts one)."""
    out = set()
    start = None
    kind = None
    for i, t in enumerate(list(tags) + ["O"]):
        if t.startswith("B-") or t == "O" or (t.startswith("I-") and t[2:] != kind):
            if start is not None:
                out.add((start, i, kind))
                start = kind = None
            if t != "O":
                start, kind = i, t[2:]
    return out
