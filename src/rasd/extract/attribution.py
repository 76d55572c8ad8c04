"""Who says so: the source of a statement in its sentence, and the statement's modality.

Shared by claims and events. The words (speech verbs, "according to" phrases, verbs that carry the
previous speaker, modality markers) are in resources/speech_verbs.tsv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rasd import resources
from rasd.arabic.normalise import key
from rasd.extract.dates import find_dates
from rasd.extract.numbers import find_quantities
from rasd.model import Document, SourceRef

# Limits, in words: a verb's subject before its complementiser (قال X إن), a subject before the verb
# (صحيفة X تقول إن), and the words a speaker's name is looked for in.
SUBJECT_MAX_WORDS = 14
FRONTED_SUBJECT_MAX_WORDS = 6
NAME_WINDOW_WORDS = 8
_PUNCT_END = re.compile(r"[.,;:!?\"«»()]")


@dataclass(frozen=True)
class SpeechLexicon:
    verbs: frozenset[str]
    accuse: frozenset[str]
    deny: frozenset[str]
    carry: frozenset[str]
    that: frozenset[str]
    expected: tuple[str, ...]
    hypothetical: tuple[str, ...]
    according_re: re.Pattern[str]
    after_re: re.Pattern[str]
    that_re: re.Pattern[str]  # a complementiser as a word
    subject_end_re: re.Pattern[str]  # where a verb's subject ends when no complementiser follows
    relative_re: re.Pattern[str]
    speaker_re: re.Pattern[str]  # a speaker noun at the start of a span (resources/speakers.tsv)
    not_speaker: frozenset[str]  # words a speaker never starts with
    document_of_re: re.Pattern[str]  # "تقرير لـ": a document, then its speaker


def _words_re(words, clitic: str = "") -> re.Pattern[str]:
    alt = "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))
    return re.compile(rf"(?:^|(?<=\s)){clitic}(?:{alt})(?=\s|$)")


@lru_cache(maxsize=1)
def lexicon() -> SpeechLexicon:
    rows: dict[str, list[str]] = {}
    for kind, words in resources.read_tsv("speech_verbs.tsv", 2):
        rows.setdefault(kind, []).extend(key(w) for w in words.split("|"))
    according = sorted(rows["according"], key=len, reverse=True)
    after = sorted(rows["after"], key=len, reverse=True)
    speakers: dict[str, list[str]] = {}
    for kind, nouns in resources.read_tsv("speakers.tsv", 2):
        speakers.setdefault(kind, []).extend(key(n) for n in nouns.split("|"))
    heads = [n for kind, nouns in speakers.items() if kind not in ("not", "document") for n in nouns]
    documents = "|".join(map(re.escape, sorted(set(speakers.get("document", [])), key=len, reverse=True)))
    head_alt = "|".join(map(re.escape, sorted(set(heads), key=len, reverse=True)))
    return SpeechLexicon(
        frozenset(rows["verb"]), frozenset(rows["accuse"]), frozenset(rows["deny"]), frozenset(rows["carry"]),
        frozenset(rows["that"]),
        tuple(rows["modality_expected"]), tuple(rows["modality_hypothetical"]),
        re.compile(rf"(?<!\w)(?:و|ف)?(?:{'|'.join(map(re.escape, according))})\s*(?:ـ\s*)?"),
        re.compile("|".join(map(re.escape, after))),
        _words_re(rows["that"]),
        re.compile(rf"{_words_re(rows['subject_end']).pattern}|[,.:\"]"),
        _words_re(rows["relative"]),
        re.compile(rf"^\W*(?:و|ف|ب|ل)?(?:ال)?(?:{head_alt})(?!\w)"),
        frozenset(speakers.get("not", [])),
        re.compile(rf"\s*(?:{documents})\s+ل(?:ـ\s*)?(?=\w)"),
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
    """Does a sentence continue the previous speaker: it opens with a verb that does (وأضاف ...), or with a
    speech verb that has no subject of its own (وقال إن ...)?"""
    lex = lexicon()
    if not words:
        return False
    if strip_conj(words[0]) in lex.carry:
        return True
    for i, w in enumerate(words[:3]):
        if strip_conj(w) in lex.verbs and i + 1 < len(words) and words[i + 1] in lex.that:
            return True
    return False


def entities_in(doc: Document, start: int, end: int) -> list[tuple[int, str, str]]:
    """(start, entity id, type) of mentions inside an original span, in order."""
    out = []
    for e in doc.entities:
        for m in e.mentions:
            if start <= m.start and m.end <= end:
                out.append((m.start, e.id, e.type))
    return sorted(out)


def attribution(doc: Document, n_sent: str, ns: int) -> Attribution | None:
    """The source of a sentence (``n_sent``: its normalised text, starting at normalised ``ns``): a
    speaker — a named person, organisation, state or outlet, or a speaker noun ("مصدر عسكري",
    "محللون") — never a date, a number or a clause."""
    lex = lexicon()
    # "وفقا لـ X" / "بحسب X": X runs to the end of the clause
    for m in lex.according_re.finditer(n_sent):
        ref = _clause_ref(doc, n_sent, ns, m.end())
        if ref:
            return ref
    # "هذا ما أعلنه X"
    for m in lex.after_re.finditer(n_sent):
        ref = _clause_ref(doc, n_sent, ns, m.end())
        if ref:
            return ref
    # "قال X إن ..." / "اتهمت X Y بـ": the verb's subject; "صحيفة X تقول إن": a subject before the verb
    for m in re.finditer(r"\S+", n_sent):
        w = strip_conj(m.group())
        if w in lex.verbs or w in lex.accuse or w in lex.deny:
            tail = n_sent[m.end():]
            that = lex.that_re.search(tail)
            if that and not tail[: that.start()].strip():
                ref = _fronted_ref(doc, n_sent, ns, m.start())
                if ref:
                    return ref
                continue
            if that and len(tail[: that.start()].split()) <= SUBJECT_MAX_WORDS and not _PUNCT_END.search(tail[: that.start()].strip(" ،,")):
                end = m.end() + that.start()
            else:
                cut = lex.subject_end_re.search(tail)
                end = m.end() + (cut.start() if cut and cut.start() < 120 else min(len(tail), 80))
            ref = _ref(doc, ns + m.end(), ns + end, first_entity_only=w in lex.accuse)
            if ref:
                return ref
    return None


_CLAUSE_PUNCT = re.compile(r"[.,;:!?()]")  # not quotes: a name may hold one (مرصد التسلح "اوبسارم")


def _clause_ref(doc: Document, n_sent: str, ns: int, pos: int) -> Attribution | None:
    tail = n_sent[pos:]
    cut = re.search(rf"{_CLAUSE_PUNCT.pattern}|{lexicon().that_re.pattern}", tail)
    return _ref(doc, ns + pos, ns + pos + (cut.start() if cut else len(tail)))


def _fronted_ref(doc: Document, n_sent: str, ns: int, verb_start: int) -> Attribution | None:
    """The subject before a speech verb that has none after it, within its clause."""
    before = n_sent[:verb_start]
    cut = [m.end() for m in _PUNCT_END.finditer(before)]
    start = cut[-1] if cut else 0
    words = list(re.finditer(r"\S+", before[start:]))
    if not words or len(words) > FRONTED_SUBJECT_MAX_WORDS:
        return None
    return _ref(doc, ns + start + words[0].start(), ns + verb_start)


UNKNOWN_NAME_MAX_WORDS = 3


def _unknown_name(n_text: str) -> bool:
    """A short subject of a speech verb with no word a speaker never has: a name the KB does not know."""
    words = n_text.strip(" \"'«»()").split()
    return 0 < len(words) <= UNKNOWN_NAME_MAX_WORDS and not any(
        strip_conj(w) in lexicon().not_speaker or w in lexicon().not_speaker or re.search(r"\d", w) for w in words)


def _ref(doc: Document, n_start: int, n_end: int, first_entity_only: bool = False) -> Attribution | None:
    of = lexicon().document_of_re.match(doc.norm.text, n_start, n_end)
    if of:
        n_start = of.end()
    s, e = doc.norm.span_to_original(n_start, n_end)
    raw = doc.text[s:e]
    text = raw.strip(" ،,")
    for d in find_dates(raw, None, doc.norm.text[n_start:n_end]):
        text = text.replace(d.text, " ")
    text = " ".join(text.split()).strip(" ،,")
    if not text or len(text.split()) > SUBJECT_MAX_WORDS:
        return None
    n_text = key(text)
    if find_quantities(" ".join(n_text.split()[:2])):
        return None  # "25 و28 فبراير", "9 ناشطين أتراك اعتقلوا": a count or a date, not a speaker
    # a speaker's name is looked for before any relative clause and within the first words
    n_span = doc.norm.text[n_start:n_end]
    rel = lexicon().relative_re.search(n_span)
    words = list(re.finditer(r"\S+", n_span))
    limit = min(rel.start() if rel else len(n_span), words[NAME_WINDOW_WORDS].start() if len(words) > NAME_WINDOW_WORDS else len(n_span))
    name_end = doc.norm.span_to_original(n_start, n_start + limit)[1] if limit else s
    ents = entities_in(doc, s, max(s, name_end))
    if not ents and not lexicon().speaker_re.search(n_text) and not _unknown_name(n_text):
        return None  # neither a name nor a speaker noun: a clause, a pronoun, a date
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
