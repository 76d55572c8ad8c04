"""Who says so: the source of a statement in its sentence, and the statement's modality.

Shared by claims and events. The words (speech verbs, "according to" phrases, verbs that carry the
previous speaker, modality markers) are in resources/speech_verbs.tsv.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from rasd import resources
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
        re.compile(rf"(?<!\w)(?:و|ف)?(?:{'|'.join(map(re.escape, according))})\s*(?:ـ\s*)?"),
        re.compile("|".join(map(re.escape, after))),
    )


@dataclass(frozen=True, slots=True)
class Attribution:
    ref: SourceRef
    start: int  # original span of the source words, so they are not taken as a participant
    end: int


def strip_conj(word: str) -> str:
    return word[1:] if word[:1] in ("و", "ف") and len(word) > 3 else word


def has_speech_verb(words: list[str]) -> bool:
    lex = lexicon()
    return any(strip_conj(w) in lex.verbs or w in lex.verbs for w in words)


def carries(words: list[str]) -> bool:
    """Does a sentence open with a verb that continues the previous speaker (وأضاف ...)?"""
    return bool(words) and strip_conj(words[0]) in lexicon().carry


def entities_in(doc: Document, start: int, end: int) -> list[tuple[int, str, str]]:
    """(start, entity id, type) of mentions inside an original span, in order."""
    starts, mentions = _sorted_mentions(doc.entities)
    out = []
    for i in range(bisect.bisect_left(starts, start), len(mentions)):
        m_start, eid, etype, m_end = mentions[i]
        if m_start > end:
            break
        if m_end <= end:
            out.append((m_start, eid, etype))
    return out


_MENTIONS: list = [None, None]  # the last document's entities and their mentions sorted (one per call otherwise)


def _sorted_mentions(entities: tuple) -> tuple[list[int], list[tuple[int, str, str, int]]]:
    """Mentions of ``entities`` sorted by (start, id, type), once per document, so that looking up a
    span is a binary search rather than a pass over every mention (linear documents, not quadratic)."""
    if _MENTIONS[0] is not entities:
        ms = sorted((m.start, e.id, e.type, m.end) for e in entities for m in e.mentions)
        _MENTIONS[:] = [entities, ([m[0] for m in ms], ms)]
    return _MENTIONS[1]


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
    return SentenceModality(before).at(len(before), attributed)


_NEGATION = re.compile(r"(?=((?:^|\s)(?:لم|لا|ليس)\s))")
_CONDITION = re.compile(r"(?=((?:^|\s)(?:اذا|لو)\s))")


class SentenceModality:
    """``modality(n_sent[:pos], ...)`` for every ``pos`` of one sentence, after one pass over it.

    Each marker is found once, with the earliest offset at which a prefix of the sentence holds it;
    the modality of a statement at ``pos`` is then a few comparisons, so a sentence with many figures
    costs linear time, not one scan of the sentence per figure. Same answers as scanning each prefix."""

    __slots__ = ("_deny", "_deny_at", "_hypothetical", "_expected_end", "_expected_at")

    def __init__(self, n_sent: str):
        lex = lexicon()
        inf = len(n_sent) + 1
        # a deny word: a whole word of the prefix, or the prefix's last word as far as it is cut
        deny = inf
        self._deny_at: set[int] = set()
        longest = max((len(w) for w in lex.deny), default=0) + 1  # +1: a conjunction before it
        for m in re.finditer(r"\S+", n_sent):
            w = m.group()
            if deny == inf and strip_conj(w) in lex.deny:
                deny = m.end()
            self._deny_at.update(m.start() + k for k in range(1, min(len(w) - 1, longest) + 1)
                                 if strip_conj(w[:k]) in lex.deny)
        self._deny = min(deny, _first_end(_NEGATION, n_sent, inf))
        hyp = _first_end(_CONDITION, n_sent, inf)
        for p in lex.hypothetical:
            if len(p) > 2 and (i := n_sent.find(p)) >= 0:
                hyp = min(hyp, i + len(p))
        self._hypothetical = hyp
        # an expectation marker ends the prefix or is followed by a space in it
        self._expected_end = inf
        self._expected_at: set[int] = set()
        for pattern in _expected_patterns():
            for m in pattern.finditer(n_sent):
                e = m.start() + len(m.group(1))
                self._expected_at.add(e)
                if e == len(n_sent) or n_sent[e].isspace():
                    self._expected_end = min(self._expected_end, e)

    def at(self, pos: int, attributed: bool) -> str:
        if self._deny <= pos or pos in self._deny_at:
            return "denied"
        if self._hypothetical <= pos:
            return "hypothetical"
        if self._expected_end <= pos or pos in self._expected_at:
            return "expected"
        return "reported" if attributed else "asserted"


@lru_cache(maxsize=1)
def _expected_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"(?=((?:^|\s)و?{re.escape(p)}))") for p in lexicon().expected)


def _first_end(pattern: re.Pattern[str], text: str, default: int) -> int:
    """The smallest end of a match of a lookahead-wrapped pattern (overlapping matches included)."""
    return min((m.start() + len(m.group(1)) for m in pattern.finditer(text)), default=default)
