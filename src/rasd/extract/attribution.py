"""Who says so: the source of a statement in its sentence, and the statement's modality.

Shared by claims and events. The words (speech verbs, "according to" phrases, verbs that carry the
previous speaker, modality markers) are in resources/speech_verbs.tsv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rasd import resources
from rasd.arabic.clitics import alternation, conjunctions
from rasd.arabic.normalise import key
from rasd.extract.dates import find_dates
from rasd.model import Document, SourceRef

_CLAUSE_END = re.compile(r"[.,;:!?\"]|\s(?:ان|إن|أن|بان|بأن)\s")
_SUBJECT_END = re.compile(r"\s(?:ان|إن|أن|انه|انها|بان|بانه|بأن|عن|علي|في|من|الي|مع|خلال|بعد|قبل)(?:\s|$)|[,.:\"]")


@dataclass(frozen=True)
class SpeechLexicon:
    verbs: frozenset[str]
    accuse: frozenset[str]
    deny: frozenset[str]
    carry: frozenset[str]
    expected: tuple[str, ...]
    hypothetical: tuple[str, ...]
    according_re: re.Pattern[str]
    after_re: re.Pattern[str]


@lru_cache(maxsize=1)
def lexicon() -> SpeechLexicon:
    rows: dict[str, list[str]] = {}
    for kind, words in resources.read_tsv("speech_verbs.tsv", 2):
        rows.setdefault(kind, []).extend(key(w) for w in words.split("|"))
    according = sorted(rows["according"], key=len, reverse=True)
    after = sorted(rows["after"], key=len, reverse=True)
    return SpeechLexicon(
        frozenset(rows["verb"]), frozenset(rows["accuse"]), frozenset(rows["deny"]), frozenset(rows["carry"]),
        tuple(rows["modality_expected"]), tuple(rows["modality_hypothetical"]),
        re.compile(rf"(?<!\w)(?:{alternation(conjunctions())})?(?:{'|'.join(map(re.escape, according))})\s*(?:ـ\s*)?"),
        re.compile("|".join(map(re.escape, after))),
    )


@dataclass(frozen=True, slots=True)
class Attribution:
    ref: SourceRef
    start: int  # original span of the source words, so they are not taken as a participant
    end: int


def strip_conj(word: str) -> str:
    return word[1:] if word[:1] in conjunctions() and len(word) > 3 else word


def has_speech_verb(words: list[str]) -> bool:
    lex = lexicon()
    return any(strip_conj(w) in lex.verbs or w in lex.verbs for w in words)


def carries(words: list[str]) -> bool:
    """Does a sentence open with a verb that continues the previous speaker (وأضاف ...)?"""
    return bool(words) and strip_conj(words[0]) in lexicon().carry


def entities_in(doc: Document, start: int, end: int) -> list[tuple[int, str, str]]:
    """(start, entity id, type) of mentions inside an original span, in order."""
    out = []
    for e in doc.entities:
        for m in e.mentions:
            if start <= m.start and m.end <= end:
                out.append((m.start, e.id, e.type))
    return sorted(out)


def attribution(doc: Document, n_sent: str, ns: int) -> Attribution | None:
    """The source of a sentence (``n_sent``: its normalised text, starting at normalised ``ns``)."""
    lex = lexicon()
    # "وفقا لـ X" / "بحسب X": X runs to the end of the clause
    for m in lex.according_re.finditer(n_sent):
        tail = n_sent[m.end():]
        cut = _CLAUSE_END.search(tail)
        ref = _ref(doc, ns + m.end(), ns + m.end() + (cut.start() if cut else len(tail)))
        if ref:
            return ref
    # "هذا ما أعلنه X"
    for m in lex.after_re.finditer(n_sent):
        tail = n_sent[m.end():]
        cut = _CLAUSE_END.search(tail)
        ref = _ref(doc, ns + m.end(), ns + m.end() + (cut.start() if cut else len(tail)))
        if ref:
            return ref
    # "قال X إن ..." / "اتهمت X Y بـ": the verb's subject
    for m in re.finditer(r"\S+", n_sent):
        w = strip_conj(m.group())
        if w in lex.verbs or w in lex.accuse or w in lex.deny:
            tail = n_sent[m.end():]
            cut = _SUBJECT_END.search(tail)
            end = m.end() + (cut.start() if cut and cut.start() < 120 else min(len(tail), 80))
            ref = _ref(doc, ns + m.end(), ns + end, first_entity_only=w in lex.accuse)
            if ref:
                return ref
    return None


def _ref(doc: Document, n_start: int, n_end: int, first_entity_only: bool = False) -> Attribution | None:
    s, e = doc.norm.span_to_original(n_start, n_end)
    raw = doc.text[s:e]
    text = raw.strip(" ،,")
    for d in find_dates(raw, None, doc.norm.text[n_start:n_end]):
        text = text.replace(d.text, " ")
    text = " ".join(text.split()).strip(" ،,")
    if not text or len(text.split()) > 14:
        return None
    ents = entities_in(doc, s, e)
    if not first_entity_only:
        # who speaks: a person named in the span before an organisation, before a state
        rank = {"PERSON": 0, "ORG": 1, "GPE": 2}
        ents = sorted(ents, key=lambda x: (rank.get(x[2], 3), x[0]))
    if first_entity_only and ents:
        first = next(m for ent in doc.entities if ent.id == ents[0][1] for m in ent.mentions if m.start == ents[0][0])
        return Attribution(SourceRef(ents[0][1], first.text), first.start, first.end)
    return Attribution(SourceRef(ents[0][1] if ents else None, text), s, e)


def modality(before: str, attributed: bool) -> str:
    """asserted, reported, expected, denied or hypothetical, from the words before the statement."""
    lex = lexicon()
    words = set(before.split())
    if any(strip_conj(w) in lex.deny for w in words) or re.search(r"(?:^|\s)(?:لم|لا|ليس)\s", before):
        return "denied"
    if any(p in before for p in lex.hypothetical if len(p) > 2) or re.search(r"(?:^|\s)(?:اذا|لو)\s", before):
        return "hypothetical"
    if any(re.search(rf"(?:^|\s)و?{re.escape(p)}(?:\s|$)", before) for p in lex.expected):
        return "expected"
    return "reported" if attributed else "asserted"
