"""Who says so: the source of a statement in its sentence, and the statement's modality.

Shared by claims and events. The words (speech verbs, "according to" phrases, verbs that carry the
previous speaker, modality markers) are in resources/speech_verbs.tsv.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from rasd import resources
from rasd.arabic.clitics import alternation, conjunctions, letter_proclitics
from rasd.arabic.dates import find_dates
from rasd.arabic.dates import lexicon as date_lexicon
from rasd.arabic.normalise import key
from rasd.extract.numbers import find_quantities
from rasd.model import Document, SourceRef
from rasd.regex_words import trie_regex

# one-letter conjunctions and prepositions (clitics.tsv) that may stand before a speaker word
_LETTERS = alternation(letter_proclitics())

# Limits, in words: a verb's subject before its complementiser (قال X إن), a subject before the verb
# (صحيفة X تقول إن), and the words a speaker's name is looked for in.
SUBJECT_MAX_WORDS = 14
SHOW_SUBJECT_MAX_WORDS = 4  # "أظهرت دراسة حديثة أن": longer, the words before أن are the object's
FRONTED_SUBJECT_MAX_WORDS = 6
NAME_WINDOW_WORDS = 8
APPOSITION_COMMAS = 1  # commas inside a speaker's words before إن (title، name)
RELATIVE_HEAD_MAX_WORDS = 3  # the noun a relative clause hangs on ("بيان الحرس الثوري والذي أعلن")
RELATIVE_SPEAKER_MAX_WORDS = 7  # ... or a speaker noun that far back, with its name and adjectives
_PUNCT_END = re.compile(r"[.,;:!?\"«»()]")
# punctuation that ends a verb's subject before its complementiser: not quotes, which may hold a name
# ("مصادر \"سكاي نيوز عربية\"", "شركة \"BAE Systems\" البريطانية")
_SUBJECT_PUNCT = re.compile(r"[.,;:!?()]")


@dataclass(frozen=True)
class SpeechLexicon:
    verbs: frozenset[str]
    accuse: frozenset[str]
    deny: frozenset[str]
    carry: frozenset[str]
    that: frozenset[str]
    fronting: frozenset[str]
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
    trim: frozenset[str]  # words taken off the ends of a speaker's words
    antecedent_re: re.Pattern[str]  # an organisation or outlet noun that may stand for one named before
    link: frozenset[str]  # ب-words that continue a speaker's words (باسم)
    relay: frozenset[str]  # "نقلت X عن Y": Y speaks
    relay_end_re: re.Pattern[str]  # "قوله": where Y's words end
    estimate: frozenset[str]  # "وضعت X عدد ...": a speech verb only with a count as object
    counted_re: re.Pattern[str]  # the count word an estimate's subject runs to
    issued_re: re.Pattern[str]  # "حصيلة أعلنتها X": a document, the verb that issued it, then its speaker
    stop_re: re.Pattern[str]  # "في بيان", "طلب عدم ...", "لوكالة": where a speaker's words end
    show: frozenset[str]  # "أظهرت البيانات ارتفاع ...": a verb whose object may be a noun
    title_re: re.Pattern[str]  # a person's speaker noun at the start of a span (a title after a name)
    passive: frozenset[str]  # "أفيد بـ": reported, by no one named
    documents: frozenset[str]  # what a speaker issues (تقرير، دراسة): "دراسة لوكالة بلومبرغ" is its speaker
    relaying_re: re.Pattern[str]  # an outlet that passes on what a speaker said ("وفقا لوكالة فرانس برس")
    issued_in_re: re.Pattern[str]  # "في بيان للجيش", "في تقرير صادر عن الأمم المتحدة": the document's issuer
    main_clause_re: re.Pattern[str]  # "وحسب X فقد ...": where an "according to" complement ends
    participle: frozenset[str]  # "، مشيرة إلى أن": speaks for the subject of the sentence's verb
    ends: frozenset[str]  # "لصالح": after a speaker's first word, what follows is for whom
    time_re: re.Pattern[str]  # "في وقت سابق", "سابقا": a time after a speaker's words, where they end
    same: frozenset[str]  # "المصدر نفسه": the source named before
    norms: frozenset[str]  # "وفق قانون النظام النسبي": a rule the figure follows, no speaker
    particles: frozenset[str]  # "قد": expected only before an imperfect verb and not after كان
    imperfect: tuple[str, ...]  # the letters an imperfect verb starts with


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
    heads = [n for kind, nouns in speakers.items() if kind in ("person", "organisation", "outlet") for n in nouns]
    # "وفقا للمعارضة": after ل + the article (لل) a head stands without its alef-lam
    heads += [n[2:] for n in heads if n.startswith("ال") and len(n) > 4]
    rows["verb"] += rows.get("show", [])
    named_before = "|".join(map(re.escape, sorted(
        {*speakers["organisation"], *speakers["outlet"]} - set(speakers.get("document", [])), key=len, reverse=True)))
    documents = "|".join(map(re.escape, sorted(set(speakers.get("document", [])), key=len, reverse=True)))
    head_alt = "|".join(map(re.escape, sorted(set(heads), key=len, reverse=True)))
    return SpeechLexicon(
        frozenset(rows["verb"]), frozenset(rows["accuse"]), frozenset(rows["deny"]), frozenset(rows["carry"]),
        frozenset(rows["that"]), frozenset(rows["fronting"]),
        tuple(rows["modality_expected"]), tuple(rows["modality_hypothetical"]),
        re.compile(rf"(?<!\w)(?:{alternation(conjunctions())})?(?:{'|'.join(_according_alt(according))})\s*(?:ـ\s*)?"),
        re.compile("|".join(map(re.escape, after))),
        _words_re(rows["that"]),
        re.compile(rf"{_words_re(rows['subject_end']).pattern}|[,.:]|^\s*[\"«]"),
        _words_re(rows["relative"]),
        re.compile(rf"^\W*(?:{_LETTERS})?(?:(?:{_alt(speakers.get('determiner', []))})\s+)?(?:ال)?(?:{head_alt})(?!\w)"),
        frozenset(speakers.get("not", [])),
        re.compile(rf"\s*(?:{documents})\s+ل(?:ـ\s*)?(?=\w)"),
        frozenset(speakers.get("trim", [])),
        re.compile(rf"^(?:ال)?(?:{named_before})$"),
        frozenset(speakers.get("link", [])),
        frozenset(rows.get("relay", [])),
        _words_re(rows.get("relay_end", [])),
        frozenset(rows.get("estimate", [])),
        _words_re(counted_words()),
        re.compile(rf"\s*(?:{documents})(?:\s+\S+){{0,2}}?\s+(?:{_alt(speakers.get('issued', []))})\s+(?=\w)"),
        re.compile(rf"(?:^|(?<=\s))(?:(?:في|خلال)\s+(?:(?:اول|اخر)\s+)?(?:{_alt(speakers.get('channel', []))})|عل[ىي]\s+(?:{_alt(speakers.get('channel_on', []))})"
                   rf"|(?:{_alt(speakers.get('anonymity', []))})"
                   rf"|لـ|ل(?=[\"«])|ل(?:ل)?(?:{_alt(speakers.get('addressee', []))}))(?!\w)"),
        frozenset(rows.get("show", [])),
        re.compile(rf"^(?:ال)?(?:{_alt(speakers['person'])})(?!\w)"),
        frozenset(rows.get("passive", [])),
        frozenset(speakers.get("document", [])),
        re.compile(rf"^\W*(?:{_LETTERS})?(?:ال)?(?:{_alt(speakers.get('relaying', []))})(?!\w)"),
        re.compile(rf"(?:^|(?<=\s))(?:و)?(?:في|ب)\s+(?P<doc>(?:ال)?(?:{_alt([*speakers.get('channel', []), *speakers.get('document', [])])})"
                   rf"(?:\s+\S+)?\s+(?:(?:ال)?صادرة?\s+عن\s+|ل(?:ـ\s*)?(?=\w)|(?:{_alt(speakers.get('issued', []))})\s+(?=\w)))"),
        _words_re(rows.get("main_clause", [])),
        frozenset(rows.get("participle", [])),
        frozenset(speakers.get("ends", [])),
        re.compile(rf"(?:^|(?<=\s))(?:و)?(?:{_alt(speakers.get('time', []))})(?!\w)"),
        frozenset(speakers.get("same", [])),
        frozenset(speakers.get("norm", [])),
        frozenset(rows.get("modality_particle", [])),
        tuple(rows.get("imperfect_prefix", [])),
    )


def _alt(words) -> str:
    return trie_regex(set(words))  # the flat alternation longest first, as a trie (rasd.regex_words)


def _according_alt(according: list[str]) -> list[str]:
    """An "according to" phrase that ends in the preposition ل runs into its complement (وفقا للوفد); any
    other ends at a word end ("وفق X", not "وفقد")."""
    return [re.escape(a) + ("" if a.endswith(("ل", "ـ")) or a in _ATTACHED else r"(?!\w)") for a in according]


# phrases that were matched as prefixes before the word-end rule (بحسب in بحسبما) keep matching so
_ATTACHED = frozenset({"بحسب", "حسب"})


def counted_words() -> list[str]:
    """The words that name the noun a count counts (claim_context.tsv, "counted")."""
    return [key(w) for kind, pos, words in resources.read_tsv("claim_context.tsv", 3) if kind == "counted"
            for w in words.split("|")]


@dataclass(frozen=True, slots=True)
class Attribution:
    ref: SourceRef
    start: int  # original span of the source words, so they are not taken as a participant
    end: int
    # the subject of a speech verb ("قال X إن"): it says what follows, not a figure before it (an "according
    # to" phrase speaks for the figures before it too)
    forward: bool = False


def strip_conj(word: str) -> str:
    return word[1:] if word[:1] in conjunctions() and len(word) > 3 else word


def has_speech_verb(words: list[str]) -> bool:
    return not _forms().speech.isdisjoint(words)


@dataclass(frozen=True)
class _Forms:
    """Every word form (a conjunction before it or not) that ``strip_conj`` turns into a word of a set, or
    that is one: one set lookup per word instead of stripping every word of every sentence."""
    speech: frozenset[str]  # has_speech_verb
    passive: frozenset[str]  # reported_by_no_one
    subject: frozenset[str]  # a word _subject_ref acts on (speech, accuse, deny, relay, estimate verbs)


def _stripped_to(words: frozenset[str]) -> frozenset[str]:
    candidates = {*words, *(c + w for c in conjunctions() for w in words)}
    return frozenset({w for w in candidates if strip_conj(w) in words} | words)


@lru_cache(maxsize=1)
def _forms() -> _Forms:
    lex = lexicon()
    acted_on = lex.verbs | lex.accuse | lex.deny | lex.relay | lex.estimate | lex.participle
    return _Forms(_stripped_to(lex.verbs), _stripped_to(lex.passive), _stripped_to(acted_on))


def reported_by_no_one(words: list[str]) -> bool:
    """"أفيد بمقتل 30", "يقال إن": a sentence that reports without a speaker (source null, modality reported)."""
    return not _forms().passive.isdisjoint(words)


def carries(words: list[str]) -> bool:
    """Does a sentence continue the previous speaker: it opens with a verb that does (وأضاف ...), or with a
    speech verb that has no subject of its own (وقال إن ...)?"""
    lex = lexicon()
    if not words:
        return False
    if strip_conj(words[0].rstrip(":،,\"«")) in lex.carry:  # "وأضاف: ..."
        return True
    if opens_without_subject(words):
        return True  # "وتقول: \"...\"": a speech verb and at once what is said
    if words[0] in lex.participle and any(w in lex.that for w in words[1:3]):
        return True  # "لافتا إلى أن ...": a sentence that goes on with the speaker's participle
    for i, w in enumerate(words[:3]):
        if strip_conj(w) in lex.verbs and strip_conj(w) not in lex.passive and i + 1 < len(words) and words[i + 1] in lex.that:
            return True  # "وقال إن" (but "ويعتقد أن": it is believed, by no one named)
    return False


def same_source(source: Attribution) -> bool:
    """Is a source "المصدر نفسه" / "ذات المصدر": the one named before, not a speaker of its own?"""
    return " ".join(key(source.ref.text).split()) in lexicon().same


def opens_without_subject(words: list[str]) -> bool:
    """Does a sentence open with a speech verb that has no subject of its own, what is said following at once
    ("وأضاف أن ...", "وقال إن ...", "وتقول: \"...\"")? Its speaker is the previous sentence's, and a verb
    inside what is said ("فإن المشروع لن يرى النور") names no speaker of the sentence."""
    lex = lexicon()
    if not words:
        return False
    first = words[0].rstrip(":،,\"«")
    verb = strip_conj(first)
    if verb not in lex.carry and (verb not in lex.verbs or verb in lex.passive):
        return False
    if words[0] != first and words[0][len(first):][:1] in (":", '"', "«"):
        return True  # "وتقول:" / "وأضاف\""
    rest = " ".join(words[1:])
    framed = lex.stop_re.match(rest)  # "وكتبت على تويتر \"...\"": the way it was said, then what is said
    if framed and len(rest[:framed.end()].split()) <= FRAMING_MAX_WORDS:
        after = rest[framed.end():].lstrip(" ،,")
        return after[:1] in (":", '"', "«") or after.split()[:1] and after.split()[0] in lex.that
    nxt = words[1] if len(words) > 1 else ""
    return nxt in lex.that or nxt[:1] in (":", '"', "«")


def entities_in(doc: Document, start: int, end: int) -> list[tuple[int, str, str]]:
    """(start, entity id, type) of mentions inside an original span, in order."""
    return [(m_start, eid, etype) for m_start, _, eid, etype in _mentions_within(doc, start, end)]


def _mentions_within(doc: Document, start: int, end: int) -> list[tuple[int, int, str, str]]:
    """(start, end, entity id, type) of the mentions inside an original span, in the order of their
    starts: a binary search in the document's sorted mentions, not a pass over all of them."""
    starts, mentions = _sorted_mentions(doc.entities)
    out = []
    for i in range(bisect.bisect_left(starts, start), len(mentions)):
        m_start, eid, etype, m_end = mentions[i]
        if m_start > end:
            break
        if m_end <= end:
            out.append((m_start, m_end, eid, etype))
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
    """The source of a sentence (``n_sent``: its normalised text, starting at normalised ``ns``): a
    speaker — a named person, organisation, state or outlet, or a speaker noun ("مصدر عسكري",
    "محللون") — never a date, a number or a clause.

    Computed once per sentence of a document: the claims and events stages (and a later "وأضاف ..."
    carrying a speaker) all ask for the same sentences."""
    found = _sources_of(doc)
    k = (ns, n_sent)
    if k not in found:
        found[k] = _attribution(doc, n_sent, ns)
    return found[k]


# The last document's sentence sources: (its normalised text, its entities, their sorted mentions, the
# sources by (offset, sentence)). A source depends only on the text and the mentions, so a stage that
# adds entities without mentions (claims' referenced states) keeps them.
_SOURCES: list = [None, None, None, {}]


def _sources_of(doc: Document) -> dict[tuple[int, str], Attribution | None]:
    norm, entities, mentions, found = _SOURCES
    if entities is not doc.entities or norm is not doc.norm:
        now = _sorted_mentions(doc.entities)[1]
        if norm is not doc.norm or now != mentions:
            found = {}
        _SOURCES[:] = [doc.norm, doc.entities, now, found]
    return found


def _attribution(doc: Document, n_sent: str, ns: int) -> Attribution | None:
    lex = lexicon()
    # "وفقا لـ X" / "بحسب X": X runs to the end of the clause
    relayed = None
    for m in lex.according_re.finditer(n_sent):
        ref = _clause_ref(doc, n_sent, ns, m.end())
        if ref and (_relays_a_speaker(n_sent, m) or _relaying_outlet(doc, ref, n_sent, m)):
            relayed = relayed or ref
            continue
        if ref:
            return ref
    found = _verb_ref(doc, n_sent, ns)
    return found or relayed or _issued_in_ref(doc, n_sent, ns)


def speaker_at(doc: Document, n_sent: str, ns: int, source: Attribution | None, pos: int) -> Attribution | None:
    """The speaker of a figure at normalised offset ``pos`` of a sentence whose source is ``source``: "قال الجيش
    إن 20 مسلحا قتلوا، بينما قالت المعارضة إن 3 مدنيين قتلوا" — a speech verb after the source's words and
    before the figure, with a subject of its own, speaks for the figures after it."""
    if source is None:
        return None
    if source.forward and _not_what_is_said(doc, n_sent, ns, source, pos):
        return None
    speech = _forms().speech
    last = None
    for m in _WORD_RUN.finditer(n_sent, 0, pos):
        if m.group() in speech and doc.norm.to_original(ns + m.start()) >= source.end:
            last = m
    if last is None or not doc.text[source.end:doc.norm.to_original(ns + last.start())].strip():
        return source  # none, or the source's own verb after it ("لكن وكالة البيئة قالت في بيان، إن")
    # the later verb's subject is named before the figure: a verb after it ("... لن يرى النور") names no one;
    # an "according to" phrase may follow the figure ("حيث تقدر القيمة 146 مليار دولار، وفق ما ذكر موقع X")
    found = (attribution(doc, n_sent[last.start():pos], ns + last.start())
             or _according_ref(doc, n_sent[last.start():], ns + last.start()))
    if found is None and last.group() == strip_conj(last.group()) and lexicon().that_re.match(n_sent, last.end() + 1):
        found = _fronted_ref(doc, n_sent, ns, last.start(), unknown_names=False, tail=True)  # "... مع إحصاءات أظهرت أن"
    return source if found is None or same_source(found) else found


def _not_what_is_said(doc: Document, n_sent: str, ns: int, source: Attribution, pos: int) -> bool:
    """A figure before the speaker of "قال X إن" ("... 49,2 في المئة لم يلب تطلعات الأحزاب التي توقعت أن"), or
    in a relative clause on the speaker ("وتقول ألمانيا، التي يوجد بها نحو 3 ملايين شخص، إنها"): the
    article's own words, not what the speaker says."""
    at = doc.norm.to_original(ns + pos)
    if at < source.start:
        return True
    end = doc.norm.to_normalised(source.end) - ns
    if not 0 <= end <= pos:
        return False
    between = n_sent[end:pos]
    rel = re.match(r"[\s،,]*(\S+)", between)
    return bool(rel and lexicon().relative_re.fullmatch(strip_conj(rel.group(1))) and rel.group(1) not in ("ما",)
                and not lexicon().that_re.search(between) and not re.search(r"[:\"«]", between)
                and not has_speech_verb(between.split()))  # "بيان الحرس الثوري والذي أعلن فيه مقتل 20": it says so


def _according_ref(doc: Document, n_sent: str, ns: int) -> Attribution | None:
    """The complement of the first "according to" phrase of a clause that has one."""
    for m in lexicon().according_re.finditer(n_sent):
        ref = _clause_ref(doc, n_sent, ns, m.end())
        if ref:
            return ref
    return None


def _relaying_outlet(doc: Document, ref: Attribution, n_sent: str, m: re.Match[str]) -> bool:
    """"تقول السلطات المحلية إن الحصيلة 39 قتيلا، وفقا لوكالة فرانس برس": an outlet after a speech verb
    passes on what the verb's subject said; that subject is the source (the outlet when it has none)."""
    return bool(lexicon().relaying_re.match(key(doc.text[ref.start:ref.end]))) and _speech_verb_before(n_sent, m.start())


def _issued_in_ref(doc: Document, n_sent: str, ns: int) -> Attribution | None:
    """"وأعلن عن مقتل 15 جنديا في بيان للجيش": with no speaker named otherwise, the issuer of the statement
    or report the sentence says it is in ("في تقرير صادر عن الأمم المتحدة")."""
    for m in lexicon().issued_in_re.finditer(n_sent):
        tail = n_sent[m.end():]
        cut = _CLAUSE_PUNCT.search(tail) or lexicon().that_re.search(tail)
        ref = _ref(doc, ns + m.start("doc"), ns + m.end() + (cut.start() if cut else len(tail)), bounded=True,
                   unknown_names=False)
        if ref:
            return ref
    return None


def _relays_a_speaker(n_sent: str, m: re.Match[str]) -> bool:
    """"أكدت مصادر طبية مقتل 6، وفق ما أفاد مراسل القناة": a report of what a speaker named before it says
    ("وفق ما", "حسبما" after a speech verb) relays that speaker, who is the source."""
    if not (re.match(r"\s*ما(?!\w)", n_sent[m.end():]) or m.group().strip().endswith("ما")):
        return False
    return _speech_verb_before(n_sent, m.start())


def _verb_ref(doc: Document, n_sent: str, ns: int) -> Attribution | None:
    lex = lexicon()
    # "هذا ما أعلنه X" (but "أكدت مصادر طبية ...، حسبما أفاد مراسل": the one who spoke first)
    relayed = None
    for m in lex.after_re.finditer(n_sent):
        ref = _clause_ref(doc, n_sent, ns, m.end())
        if ref and _speech_verb_before(n_sent, m.start()):
            relayed = relayed or ref
            continue
        if ref:
            return ref
    # a verb's speaker says what follows the verb ("قال X إن", "وقالت X \"...\""), not a figure before it
    subject = _subject_ref(doc, n_sent, ns)
    if subject is None:
        return relayed
    # but "..., كما أعلنت الشرطة", "بحسب ما أفادت به تقارير": a verb after "as" speaks for what comes before it
    before = n_sent[:max(0, doc.norm.to_normalised(subject.start) - ns)]
    return subject if _AS_VERB.search(before) else replace(subject, forward=True)


_AS_VERB = re.compile(r"(?:^|\s)[وف]?(?:كما|ما|حسبما|بحسبما|وفقما|مثلما)\s+\S+(?:\s+(?:به|بها|عنه|عنها))?\s*$")


def _speech_verb_before(n_sent: str, pos: int) -> bool:
    return has_speech_verb(n_sent[:pos].split())


_VERB_RUN = re.compile(r"\S+?(?=[,.;:!?]*(?:\s|$))")  # a word without the punctuation after it ("أعلنت، الأربعاء، أنها")


def _subject_ref(doc: Document, n_sent: str, ns: int) -> Attribution | None:
    lex = lexicon()
    # "قال X إن ..." / "اتهمت X Y بـ": the verb's subject; "صحيفة X تقول إن": a subject before the verb
    acted_on = _forms().subject
    for m in _VERB_RUN.finditer(n_sent):
        if m.group() not in acted_on:
            continue  # no verb of any kind below
        w = strip_conj(m.group())
        if w in lex.relay:
            ref = _relay_ref(doc, n_sent, ns, m.end())
            if ref:
                return ref
            continue
        if w in lex.participle:
            # "وأعلنت المؤسسة الوطنية للنفط حالة القوة القاهرة، مشيرة إلى أن": the first verb's subject
            ref = _coordinated_ref(doc, n_sent, ns, m.start()) if _speaking_participle(n_sent, m) else None
            if ref:
                return ref
            continue
        if w in lex.estimate or m.group() in lex.estimate:  # وضعت: its و is no conjunction
            # "وضعت وسائل الإعلام الكورية الجنوبية عدد الجنود في حوالي 1000": the subject, up to the count word
            count = lex.counted_re.search(n_sent, m.end(), m.end() + 80)
            if count and not _PUNCT_END.search(n_sent, m.end(), count.start()):
                ref = _ref(doc, ns + m.end(), ns + count.start(), bounded=True)
                if ref:
                    return ref
            continue
        if w in lex.verbs or w in lex.accuse or w in lex.deny:
            ref = _relative_ref(doc, n_sent, ns, m.start())
            if ref:
                return ref
            fronted = _after_fronting(n_sent, m.start())
            if fronted is not None:
                # "وكان الشيخ ...، وزير المالية البحريني، قد صرح": the verb bounds a subject with its title
                ref = _ref(doc, ns + fronted, ns + m.start(), bounded=bool(_APPOSITION_PAIR.search(n_sent, fronted, m.start())))
                if ref:
                    return ref
            tail = n_sent[m.end():]
            that = lex.that_re.search(tail)
            if that and (tail[: that.start()].strip() in ("", "الي") or _only_framing(tail[: that.start()])):
                # "مصادر ألمحت إلى أن", "لكن الوكالة قالت في بيان، إن": no subject after
                ref = _fronted_ref(doc, n_sent, ns, m.start())
                if ref is None and m.group() != w and w not in lex.passive:  # "ويتوقع أن": it is expected
                    ref = _coordinated_ref(doc, n_sent, ns, m.start())
                if ref:
                    return ref
                continue
            # "قالت الشرطة في بيان إن", "قال مسؤول طلب عدم نشر اسمه إن", "قالت مصادر لـ"...": the speaker's
            # words end where the way or the addressee of the speech begins
            subject_end = that.start() if that else 0
            # "وحذر المرصد السوري من هجوم وشيك وقال إن": the complementiser is the second verb's; the first
            # verb's subject ends where its object begins (as with no complementiser)
            joined = _joined_speech_verb(tail, subject_end)
            if joined is not None:
                that, subject_end = None, 0
                tail = tail[:joined]
            stop = lex.stop_re.search(tail, 0, subject_end) if that else None
            before_stop = tail[: stop.start()].split() if stop else []
            if before_stop and strip_conj(before_stop[-1]) not in lex.documents:  # "دراسة لوكالة بلومبرغ": whose
                subject_end = stop.start()
            # "كما يتوقع مكتب الميزانية، وهو هيئة غير حزبية، أن": what the subject is, set off by commas, is no part of it
            appos = _APPOSITION.match(tail, 0, subject_end) if that else None
            if appos:
                subject_end = appos.end(1)
            # "قال الرئيس التركي، رجب طيب أردوغان، إن": a title and its holder set off by commas are one subject
            inner = tail[:subject_end].strip(" ،,") if that else ""
            if inner.count(",") + inner.count("،") <= APPOSITION_COMMAS:
                inner = inner.replace(",", " ").replace("،", " ")
            longest = SHOW_SUBJECT_MAX_WORDS if w in lex.show else SUBJECT_MAX_WORDS
            bounded = w not in lex.deny and bool(that) and len(tail[:subject_end].split()) <= longest and not _SUBJECT_PUNCT.search(
                inner) and (not inner.startswith(('"', "«")) or bool(_QUOTED_SUBJECT.fullmatch(inner)))
            # "وقال \"...": a quotation, not a subject (but "ذكرت \"ديلي ميل\" أن": a quoted name)
            bounded_by_punct = False
            if bounded:
                end = m.end() + subject_end
            else:
                cut = _subject_end(tail)
                end = m.end() + (cut.start() if cut and cut.start() < 120 else min(len(tail), 80))
                # "وقال المدير لوكالة الأنباء الألمانية \"...": the addressee ends the speaker here too
                addressed = lex.stop_re.search(tail, 1, end - m.end())
                if addressed and tail[:addressed.start()].split() and strip_conj(
                        tail[:addressed.start()].split()[-1]) not in lex.documents:
                    end = m.end() + addressed.start()
                # "وقال ثيمبا مليسوا، الذي ...": a name the punctuation closes; "وكتب نجيب دانيش على موقع فيسبوك:": or the
                # way it was said, when what is said follows
                bounded_by_punct = bool(cut) and cut.start() < 120 and (not cut.group().strip().isalpha() or bool(
                    lex.stop_re.match(tail, cut.start()) and re.search(r"[:\"«]|(?:^|\s)(?:ان|إن|أن)\s", tail[cut.start():])))
            ref = _ref(doc, ns + m.end(), ns + end, first_entity_only=w in lex.accuse, bounded=bounded,
                       unknown_names=bounded or w in lex.accuse or bounded_by_punct)
            if ref and bounded and subject_end < that.start():
                # the way and the addressee ("لوكالة الأنباء الفرنسية") are no participant or subject either
                ref = replace(ref, end=max(ref.end, doc.norm.span_to_original(ns + m.end(), ns + m.end() + that.start())[1]))
            if ref:
                return ref
            if m.group() != w and not tail[:end - m.end()].strip(" :،,\"«"):
                # "وندد الوزير بالهجوم، وقال في سلسلة تغريدات: ...": a joined verb with no subject of its own
                ref = _coordinated_ref(doc, n_sent, ns, m.start())
                if ref:
                    return ref
            if m.group() == w and not tail[:end - m.end()].strip(" :،,\"«"):
                # "مصادر طبية في صنعاء كشفت عن وصول ...": no subject after the verb, a speaker before it
                ref = _fronted_ref(doc, n_sent, ns, m.start(), unknown_names=False, tail=True)
                if ref:
                    return ref
    return None


FRAMING_MAX_WORDS = 4


def _only_framing(text: str) -> bool:
    """Are the words between a speech verb and its complementiser only a time or the way it was said ("في
    السابق", "في بيان", "في تصريح صحفي"), no subject?"""
    lex = lexicon()
    text = text.strip(" ،,")
    return 0 < len(text.split()) <= FRAMING_MAX_WORDS and bool(lex.time_re.match(text) or lex.stop_re.match(text))


_QUOTED_SUBJECT = re.compile(r'["«][^"»\s]+(?:\s+[^"»\s]+){0,3}["»]')
_APPOSITION = re.compile(rf"([^،,]+)[،,]\s*(?:{alternation(conjunctions())})?(?:هو|هي|هم|هما)\s")


def _joined_speech_verb(tail: str, end: int) -> int | None:
    """Where a speech verb joined by و / ف starts in ``tail[:end]`` (the words after a first verb), if one does."""
    lex = lexicon()
    for m in _WORD_RUN.finditer(tail, 0, end):
        w = m.group()
        if w != strip_conj(w) and strip_conj(w) in lex.verbs and m.start() > 0:
            return m.start()
        if w in lex.participle and m.start() > 0 and _speaking_participle(tail, m):
            return m.start()
    return None


PARTICIPLE_THAT_WORDS = 2  # "مشيرة إلى أن", "مؤكدا على أن": words between a participle and its complementiser


def _speaking_participle(n_sent: str, m: re.Match[str]) -> bool:
    """A participle that reports speech: after a comma, with a complementiser just after it (not "مضيفه" his
    host, "لافتة" a banner, "أنباء مؤكدة": with ة normalised to ه, nouns and adjectives share its letters)."""
    if not re.search(r"[،,]\s*$", n_sent[:m.start()]):
        return False
    after = n_sent[m.end():].split()[:PARTICIPLE_THAT_WORDS + 1]
    return any(lexicon().that_re.fullmatch(w) for w in after)


def _subject_end(tail: str) -> re.Match[str] | None:
    """Where a verb's subject ends with no complementiser to bound it: a preposition or punctuation, but not
    the preposition a link word carries ("بيان صادر عن الرابطة")."""
    lex = lexicon()
    pos = 0
    while (cut := _subject_end_or_quote_re().search(tail, pos)) is not None:
        before = tail[:cut.start()].split()
        if before and before[-1] in lex.link and cut.group().strip():
            pos = cut.end()
            continue
        if cut.group().strip() in ('"', "«") and cut.start() > 0 and (
                before and _bare_speaker_re().match(before[-1]) or tail[:cut.start()].count('"') % 2):
            # "شركة \"BAE Systems\" البريطانية": a quoted name after a speaker noun (or its closing mark);
            # any other quotation mark opens what is said ("وقال المدير لوكالة الأنباء \"لا تزال ...")
            pos = cut.end()
            continue
        return cut
    return None


@lru_cache(maxsize=1)
def _subject_end_or_quote_re() -> re.Pattern[str]:
    return re.compile(rf"{lexicon().subject_end_re.pattern}|[\"«]")


def _coordinated_ref(doc: Document, n_sent: str, ns: int, verb_start: int) -> Attribution | None:
    """"وندد وزير الإعلام اليمني بالهجوم، وقال إن": a speech verb joined to the sentence's first verb, with no
    subject of its own, has that verb's subject (the words after the sentence's first word, in its first clause)."""
    lex = lexicon()
    first = _WORD_RUN.search(n_sent)
    if first is None or first.end() >= verb_start:
        return None
    w = first.group()
    if (strip_conj(w) in lex.not_speaker or w in lex.not_speaker or strip_conj(w) in lex.trim or lex.speaker_re.match(w)
            or not w.isalpha() or _mentions_within(doc, *doc.norm.span_to_original(ns + first.start(), ns + first.end()))):
        return None  # "وفي بيان، قال ...", "والجيش ...", "دبي، ...": the sentence opens with no verb
    if lex.according_re.search(n_sent, first.end(), verb_start):
        return None  # "ارتفعت الحصيلة إلى 27، وفق تصريحات ...، وأشارت إلى": the verb is the cited words'
    clause = _SUBJECT_PUNCT.search(n_sent, first.end(), verb_start)
    end = clause.start() if clause else verb_start
    return _ref(doc, ns + first.end(), ns + end, unknown_names=False)


RELAY_MAX_CHARS = 120  # how far after "نقلت" the "عن" of its speaker is looked for
_RELAY_PUNCT = re.compile(r"[.,;:!?]")  # not brackets: "نقلت وكالة الأنباء السورية (سانا) عن"


def _relay_ref(doc: Document, n_sent: str, ns: int, pos: int, relayed_only: bool = False) -> Attribution | None:
    """"نقلت وكالة الأنباء عن مصدر عسكري قوله إن": the one quoted speaks (the relaying outlet when the one
    quoted is no speaker). Both must be a name or a speaker noun: "نقلت القوات الجنود عن طريق البحر" is no
    speech."""
    lex = lexicon()
    # "نقلت وكالة تاس، الثلاثاء، عن": a day set off by commas does not end the relay
    window = _DAY_BETWEEN_COMMAS().sub(lambda d: " " * len(d.group()), n_sent[pos: pos + RELAY_MAX_CHARS])
    stop = _RELAY_PUNCT.search(window) or lex.that_re.search(window)
    of = re.search(r"(?:^|\s)عن\s", window[: stop.start() if stop else len(window)])
    if of is None:
        return None
    tail = n_sent[pos + of.end():]
    ends = (lex.relay_end_re.search(tail), lex.that_re.search(tail), _RELAY_PUNCT.search(tail), lex.stop_re.search(tail, 1))
    end = min((m.start() for m in ends if m), default=len(tail))
    # "عن عبد الرحمن عثمان قوله": a short name the KB does not know, closed by قوله, is the one quoted
    said = ends[0] is not None and ends[0].start() == end
    if not said and ends[0] is not None and ends[2] is not None and ends[2].start() == end and not (
            ends[1] and ends[1].start() < ends[0].start()) and lex.relative_re.match(tail[end + 1:].lstrip()):
        said = True  # "عن جوناثان بيرهوف، الذي يعيش في مكان قريب، قوله": the name, then a clause about him
    quoted = _ref(doc, ns + pos + of.end(), ns + pos + of.end() + end, bounded=True, unknown_names=said)
    if quoted is not None or relayed_only:
        return quoted
    return _ref(doc, ns + pos, ns + pos + of.start(), bounded=True, unknown_names=False)


@lru_cache(maxsize=1)
def _DAY_BETWEEN_COMMAS() -> re.Pattern[str]:  # noqa: N802
    days = _alt(date_lexicon().weekdays)
    return re.compile(rf"[،,]\s*(?:يوم\s+)?(?:ال)?(?:{days})\s*[،,]")


def _after_fronting(n_sent: str, verb_start: int) -> int | None:
    """"وكان رئيس الحكومة نتانياهو اتهم إيران": where the subject before the verb starts, if a fronting
    word (كان) opens it in the same clause."""
    before = n_sent[:verb_start]
    words = list(re.finditer(r"\S+", before))[-FRONTED_SUBJECT_MAX_WORDS - APPOSITION_WORDS - 1:]
    for i, w in enumerate(words[:-1]):
        if w.group() not in lexicon().fronting:
            continue
        between = before[w.end():]
        # "وكان الشيخ أحمد بن محمد، وزير المالية البحريني، قد صرح": a title set off by a pair of commas
        plain = _APPOSITION_PAIR.sub(" ", between)
        longest = FRONTED_SUBJECT_MAX_WORDS + (APPOSITION_NAME_WORDS if plain != between else 0)  # a full name before a title
        if not _CLAUSE_PUNCT.search(plain) and len(plain.split()) <= longest:  # a name may be quoted
            return words[i + 1].start()
    return None


APPOSITION_WORDS = 6  # the words of a title set off by commas after a fronted subject
APPOSITION_NAME_WORDS = 2
_APPOSITION_PAIR = re.compile(r"[،,][^،,.;:!?()]{1,80}[،,]")


def _relative_ref(doc: Document, n_sent: str, ns: int, verb_start: int) -> Attribution | None:
    """"بيان الحرس الثوري والذي أعلن فيه": a speech verb right after الذي / التي says what the noun
    before the relative says (not after ما: "ما قالت إنها" is what was said, not who)."""
    before = n_sent[:verb_start].rstrip()
    rel = re.search(r"(?:^|\s)(\S+)$", before)
    if rel is None or strip_conj(rel.group(1)) not in ("الذي", "التي", "الذين"):
        return None
    head = before[: rel.start(1)].rstrip(" ،,")
    cut = [p.end() for p in _CLAUSE_PUNCT.finditer(head)]  # a name in quotes may stand in the noun's words
    start = cut[-1] if cut else 0
    words = list(re.finditer(r"\S+", head[start:]))
    if not words:
        return None
    # the noun the clause hangs on, with its adjectives: from a speaker noun a little further back if one starts
    # there ("منظمة \"برواكتيفا أوبن آرمز\" الإسبانية غير الحكومية التي قالت"), else the last words
    first = next((w for w in words[-RELATIVE_SPEAKER_MAX_WORDS:-RELATIVE_HEAD_MAX_WORDS]
                  if lexicon().speaker_re.match(w.group())), None) or words[-RELATIVE_HEAD_MAX_WORDS:][0]
    ref = _ref(doc, ns + start + first.start(), ns + len(head))
    return replace(ref, forward=True) if ref else None


_CLAUSE_PUNCT = re.compile(r"[.,;:!?()]")  # not quotes: a name may hold one (مرصد التسلح "اوبسارم")


def _clause_ref(doc: Document, n_sent: str, ns: int, pos: int) -> Attribution | None:
    article = n_sent[pos - 1:pos] == "ل" and n_sent[pos:pos + 1] == "ل"
    if article:
        pos += 1  # "وفقا للوفد": ل + الوفد; the speaker's words start after the preposition
    tail = n_sent[pos:]
    cut = re.search(rf"{_CLAUSE_PUNCT.pattern}|{lexicon().that_re.pattern}|{lexicon().main_clause_re.pattern}", tail)
    end = cut.start() if cut else len(tail)
    relayed = _relay_in(doc, n_sent, ns, pos)
    if relayed is not None:
        return relayed  # "بحسب ما نقلته وكالة تاس، الثلاثاء، عن وزير النفط": the one quoted
    joined = _joined_clause(doc, tail[:end], ns + pos)
    if joined is not None:
        end = joined  # "وفق المرصد واستهدفت مستودع أسلحة ...": a clause joined by و is no part of the speaker
    # the clause bounds the speaker's words ("بحسب مصدر في الدفاع المدني،")
    ref = _ref(doc, ns + pos, ns + pos + end, bounded=cut is not None or joined is not None)
    if ref is not None and article and not key(ref.ref.text).startswith("ال"):
        # "للمعارضة" is ل + المعارضة: the speaker's words keep the article the preposition swallowed
        ref = replace(ref, ref=replace(ref.ref, text="ال" + ref.ref.text))
    if ref is not None and _common_noun_phrase(doc, ref):
        return None  # "وفق الجدول الزمني", "وفقا للقانون الدولي": what it goes by, not who says so
    return ref


JOINED_CLAUSE_WORDS = 2  # words after "و + word" that make it a clause, not a name joined to the speaker's


def _joined_clause(doc: Document, span: str, n_start: int) -> int | None:
    """Where a clause joined by و starts in an "according to" complement: و + a word that is no speaker noun and
    no part of a name, with more words after it ("المرصد واستهدفت مستودع أسلحة"; but "منظمة الصحة العالمية ومنظمة
    الأمم المتحدة", "مصادر طبية وأمنية")."""
    words = list(_WORD_RUN.finditer(span))
    for i, w in enumerate(words[1:], 1):
        word = w.group()
        if not word.startswith("و") or len(word) < 4 or len(words) - i - 1 < JOINED_CLAUSE_WORDS:
            continue
        if lexicon().speaker_re.match(word) or _bare_speaker_re().match(word[1:]):
            continue
        s, e = doc.norm.span_to_original(n_start + w.start(), n_start + w.end())
        if _mentions_in(doc, s, e) or any(ms < s < me for ms, me, *_ in _mentions_in(doc, max(0, s - 60), e)):
            continue
        return w.start()
    return None


def _relay_in(doc: Document, n_sent: str, ns: int, pos: int) -> Attribution | None:
    """"بحسب ما نقلته وكالة X عن Y": an "according to" complement that relays, Y speaking."""
    m = re.match(r"\s*(?:ما\s+)?(\S+)", n_sent[pos:])
    if m is None or m.group(1) not in _RELAYED_IT:
        return None
    return _relay_ref(doc, n_sent, ns, pos + m.end(), relayed_only=True)


_RELAYED_IT = frozenset({"نقلته", "نقلتها", "نقله", "نقلها", "نقلت", "نقل"})


def _common_noun_phrase(doc: Document, ref: Attribution) -> bool:
    """Words with no entity and no speaker noun, every one of two or more definite ("الجدول الزمني"): a noun and
    its adjective, not a name the KB does not know ("صوفي بو", "أوبر")."""
    words = key(ref.ref.text).replace('"', " ").split()
    return (ref.ref.entity is None and len(words) >= 2 and all(w.startswith("ال") for w in words)
            and not lexicon().speaker_re.match(" ".join(words)))


FRONTED_TAIL_WORDS = 3


def _fronted_ref(doc: Document, n_sent: str, ns: int, verb_start: int, unknown_names: bool = True,
                 tail: bool = False) -> Attribution | None:
    """The subject before a speech verb that has none after it, within its clause."""
    before = n_sent[:verb_start]
    cut = [m.end() for m in _PUNCT_END.finditer(before)]
    start = cut[-1] if cut else 0
    words = list(re.finditer(r"\S+", before[start:]))
    if words and tail and len(words) > FRONTED_SUBJECT_MAX_WORDS:
        words = words[-FRONTED_TAIL_WORDS - 1:]  # "رغم أن إحدى شركات المرافق أبلغت": only the last words may be its subject
    if words and len(words) > FRONTED_SUBJECT_MAX_WORDS and len(words[-2:]) == 2 and re.fullmatch(r"\d+", words[-2].group()):
        # "لم يعثر إلا على 3 ناجين أكدوا أنه": people counted right before the verb are its subject
        return _ref(doc, ns + start + words[-2].start(), ns + verb_start, bounded=True, counted=True)
    if not words or len(words) > FRONTED_SUBJECT_MAX_WORDS or lexicon().relative_re.fullmatch(words[-1].group()):
        return None  # "مستهدفة ما قالت إنها": what someone said, not who
    # the verb bounds the words before it: no object stands between a fronted subject and its verb
    ref = _ref(doc, ns + start + words[0].start(), ns + verb_start, bounded=True, unknown_names=unknown_names)
    verb = _WORD_RUN.match(n_sent, verb_start)
    joined = verb is not None and verb.group() != strip_conj(verb.group())  # "وقالت": the first verb's subject
    for w in words[max(1, len(words) - FRONTED_TAIL_WORDS):]:
        if ref is not None or joined or not tail:
            break
        # "في ما يتوافق مع إحصاءات أظهرت أن": a speaker noun or name that ends the words before the verb
        ref = _ref(doc, ns + start + w.start(), ns + verb_start, bounded=True, unknown_names=False)
    return ref


UNKNOWN_NAME_MAX_WORDS = 3
TIME_FRAME = frozenset({"قبل", "بعد"})  # prepositions of time that never stand inside a speaker's words


def _unknown_name(n_text: str) -> bool:
    """A short subject of a speech verb with no word a speaker never has: a name the KB does not know."""
    words = n_text.strip(" \"'«»()").split()
    if any(len(w.strip("ـ\"«»")) < 2 or "ـ" in w or re.fullmatch(rf"(?:{_LETTERS})?(?:ال)?", w.strip("\"«»")) for w in words):
        return False  # "ووصفت بالـ\"...\"": a clitic cut off its word, no name (but "صوفي بو" is one)
    return 0 < len(words) <= UNKNOWN_NAME_MAX_WORDS and not any(
        strip_conj(w) in lexicon().not_speaker or w in lexicon().not_speaker or re.search(r"\d|(?:ه|ها|هم|هما)$", w)
        for w in words)


def _name_then_title(n_text: str) -> bool:
    """"أشرف القدرة الناطق باسم وزارة الصحة": a name the KB does not know, then the title it holds (a person's
    speaker noun: "توصيات صندوق النقد" is no name and its fund)."""
    words = n_text.split()
    lex = lexicon()
    # the name's words: no word a speaker never has, no figure (a final ه may be ة here: القدرة)
    return any(lex.title_re.search(" ".join(words[i:])) and not any(
        strip_conj(w) in lex.not_speaker or w in lex.not_speaker or re.search(r"\d", w) for w in words[:i])
        for i in range(1, min(TITLED_NAME_MAX_WORDS, len(words) - 1) + 1))


TITLED_NAME_MAX_WORDS = 4  # "محمد رضا بورابراهيمي داوراني رئيس اللجنة": a title bounds a longer unknown name


def _mentions_in(doc: Document, start: int, end: int) -> list[tuple[int, int, str, str]]:
    """(start, end, entity id, type) of mentions inside an original span, sorted."""
    return sorted(_mentions_within(doc, start, end))


def _trimmed(doc: Document, n_start: int, n_end: int) -> tuple[int, int] | None:
    """The speaker's words without a relative clause, and without the words that only frame them at either
    end: "ما", prepositions, weekday names, an addressee ("لرويترز", "للصحفيين")."""
    lex = lexicon()
    words = [(n_start + m.start(), n_start + m.end(), m.group()) for m in re.finditer(r"[^\s\"«»()]+", doc.norm.text[n_start:n_end])]
    # a relative pronoun after the first words ends the speaker ("قائد في التحالف الذي ..."); at the
    # start ("بحسب ما نقلته الوكالة") it is only framing
    lead = 0
    while lead < len(words) and (strip_conj(words[lead][2]) in lex.trim or words[lead][2] in lex.trim):
        lead += 1
    cut = next((i for i in range(lead + 1, len(words)) if lex.relative_re.fullmatch(strip_conj(words[i][2]))), None)
    if cut is not None:
        words = words[:cut]
    weekdays = date_lexicon().weekdays
    # after the speaker's first word, a day or a time frame ("محكمة الاستئناف الثلاثاء رفض ...", "قبل أشهر")
    # or a verb joined by و ("أطباء ومسعفون واتهمت القوى الغربية") starts what is said or done, not who
    acts = lex.verbs | lex.accuse | lex.deny
    cut = next((i for i in range(lead + 1, len(words)) if strip_conj(words[i][2]) in weekdays
                or words[i][2] in TIME_FRAME or words[i][2] in lex.ends or (words[i][2] != strip_conj(words[i][2]) and strip_conj(words[i][2]) in acts)),
               None)
    if cut is not None:
        words = words[:cut]
    # the way, the addressee or a time after the speaker's words ("وزارة الدفاع في بيان اطلعت عليه ...",
    # "المسؤول ... في وقت سابق"), but not the issuer after a document ("بيان للجيش")
    text = doc.norm.text
    cut = next((i for i in range(lead + 1, len(words)) if lex.time_re.match(text, words[i][0]) or (
        lex.stop_re.match(text, words[i][0]) and strip_conj(words[i - 1][2]) not in lex.documents)), None)
    if cut is not None:
        words = words[:cut]

    def framing(w: tuple[int, int, str]) -> bool:
        word = strip_conj(w[2])
        if word in lex.verbs or word in lex.relay or word in lex.trim or w[2] in lex.trim or word in weekdays or word.strip("ـ") in ("", *lex.trim):
            return True
        if word.startswith("لل") or word.startswith("لـ"):
            return True
        if word.startswith("ل") and len(word) > 3:  # "لرويترز": ل + a name
            s, _ = doc.norm.span_to_original(w[0] + 1, w[1])
            return any(m_start == s for m_start, *_ in _mentions_in(doc, s, doc.norm.to_original(w[1] - 1) + 1))
        return False

    while words and framing(words[0]):
        words.pop(0)
    def names_on(i: int) -> bool:
        """"الهيئة العامة للإحصاء", "الإدارة العامة للجمارك": ل + the article after a definite word goes on with
        an organisation's name (not an addressee: "للصحفيين")."""
        w, prev = strip_conj(words[i][2]), words[i - 1][2] if i > 0 else ""
        return (w.startswith("لل") and prev.startswith("ال") and len(w) > 4 and w[2:] not in _addressees()
                and ("ال" + w[2:]) not in _addressees() and bool(lex.speaker_re.match(" ".join(x[2] for x in words[:i]))))

    while words and framing(words[-1]) and not (len(words) > 1 and lex.document_of_re.match(words[-2][2] + " " + words[-1][2])) \
            and not names_on(len(words) - 1):
        words.pop()  # but "بيان للجيش": the army's statement
    return (words[0][0], words[-1][1]) if words else None


@lru_cache(maxsize=1)
def _addressees() -> frozenset[str]:
    return frozenset(key(n) for kind, nouns in resources.read_tsv("speakers.tsv", 2) if kind == "addressee"
                     for n in nouns.split("|"))


def _ref(doc: Document, n_start: int, n_end: int, first_entity_only: bool = False, bounded: bool = False,
         unknown_names: bool = True, counted: bool = False) -> Attribution | None:
    """The speaker in a normalised span. ``bounded``: the span ends at the complementiser (قال X إن), so
    it holds the subject alone; otherwise (نفت السلطات البريطانية الاتهامات) the object may follow it.
    ``unknown_names``: may a short span with no entity and no speaker noun be taken as a name? Not where
    the object may follow the verb ("أعلنوا تنظيم مسيرة"). ``counted``: the span is a count and its noun right
    before the speech verb ("3 ناجين أكدوا"), so a plain count may open it."""
    lex = lexicon()
    of = lex.document_of_re.match(doc.norm.text, n_start, n_end)
    if of and doc.norm.text[of.end():of.end() + 1] != "ل":
        n_start = of.end()  # "تقرير لمرصد X": X (but "بيان للجيش" keeps its words: ل + الجيش cannot be cut apart)
    issued = lex.issued_re.match(doc.norm.text, n_start, n_end)
    if issued:
        n_start = issued.end()  # "حصيلة جديدة أعلنتها وزارة الصحة": the ministry
        bounded = False  # "طبقا للأرقام التي أعلنها الحزب أيدها 52 بالمئة": what is said may follow the issuer
        words = list(_WORD_RUN.finditer(doc.norm.text, n_start, n_end))
        if len(words) > NAME_WINDOW_WORDS:
            n_end = words[NAME_WINDOW_WORDS - 1].end()  # the issuer is named in the first words
    span = _trimmed(doc, n_start, n_end)
    if span is None:
        return None
    n_start, n_end = span
    s, e = doc.norm.span_to_original(n_start, n_end)
    s = _without_conjunction(doc, s, e)
    if doc.text[s:e].count('"') % 2 and doc.text[e:e + 1] == '"':
        e += 1  # "مصادر \"سكاي نيوز عربية\"": the quoted name's closing mark
    raw = doc.text[s:e]
    text = raw
    for d in find_dates(raw, None, doc.norm.text[n_start:n_end]):
        text = text.replace(d.text, " ")
    text = " ".join(text.split()).strip(" ،,-–")
    if not text or len(text.split()) > SUBJECT_MAX_WORDS:
        return None
    n_text = key(text)
    if strip_conj(n_text.split()[0]) in lex.norms:
        return None  # "وفق قانون النظام النسبي": the law the figure follows states nothing
    if find_quantities(" ".join(n_text.split()[:2])):
        # "25 و28 فبراير", "9 ناشطين أتراك اعتقلوا": a count or a date, not a speaker; but the whole subject of
        # a speech verb may be people counted ("3 ناجين أكدوا أن", "كشفت 68 % من المشاركات أنهن"): those counted
        # ("وذكر 9 ناشطين أتراك اعتقلوا أن": after the verb a plain count may open a clause; only a share, or
        # a count right before the verb, is taken)
        rest = _after_count(doc, n_start, n_end, share_only=not counted) if bounded else None
        return _ref(doc, rest, n_end, bounded=True, unknown_names=unknown_names) if rest is not None else None
    first_word_end = s + len(raw) - len(raw.lstrip()) + len(raw.split()[0]) if raw.split() else s
    mentions = _mentions_in(doc, s, e)
    starts_with_name = any(ms < first_word_end for ms, *_ in mentions)
    if first_entity_only and mentions and mentions[0][0] >= first_word_end and not lex.speaker_re.search(n_text):
        # "واتهم مادورو كولومبيا": a name the KB does not know, then the accused
        words_before = " ".join(doc.text[s:mentions[0][0]].split())
        if _unknown_name(key(words_before)):  # the accused (a name) bounds the accuser
            return _checked(Attribution(SourceRef(None, words_before), s, mentions[0][0]))
    if not (starts_with_name or lex.speaker_re.search(n_text) or (unknown_names and _unknown_name(n_text))
            or _name_then_title(n_text)):
        return None  # neither a name nor a speaker noun first: a clause, a pronoun, a date, an object
    if not bounded and not first_entity_only:
        # "نفت السلطات البريطانية الاتهامات", "أفاد الموقع بتراجع ...": the speaker, not the object after it
        e = _unbounded_end(doc, s, e, mentions)
        text = " ".join(doc.text[s:e].split())
        mentions = _mentions_in(doc, s, e)
    if starts_with_name and not lex.speaker_re.search(n_text):
        # "نفى الجيش الإسرائيلي تورط قواته": the name (and names joined to it), not what follows
        end = mentions[0][1]
        for ms, me, *_ in mentions[1:]:
            if re.fullmatch(r"\s*(?:و\s*)?", doc.text[end:ms]):
                end = max(end, me)
        e = end
        text = " ".join(doc.text[s:e].split())
        mentions = _mentions_in(doc, s, e)
    words = list(re.finditer(r"\S+", doc.text[s:e]))
    name_end = s + words[NAME_WINDOW_WORDS].start() if len(words) > NAME_WINDOW_WORDS else e
    ents = [(ms, eid, etype) for ms, _me, eid, etype in mentions if ms < name_end]
    if not first_entity_only:
        # who speaks: a person named in the span before an organisation, before a state
        rank = {"PERSON": 0, "ORG": 1, "GPE": 2}
        ents = sorted(ents, key=lambda x: (rank.get(x[2], 3), x[0]))
    if first_entity_only and mentions:
        # "اتهم وزير الخزانة الأمريكي ستيفن منوتشين الروس": the accuser's words run to the first name
        # (joined names and a name right after a title included); the next name is the accused
        end, first_id = mentions[0][1], mentions[0][2]
        for ms, me, eid, _ in mentions[1:]:
            if not doc.text[end:ms].strip() and eid == first_id:
                end = max(end, me)
        inside = [m for m in mentions if m[1] <= end]
        rank = {"PERSON": 0, "ORG": 1, "GPE": 2}
        best = min(inside, key=lambda m: (rank.get(m[3], 3), m[0]))
        return _checked(Attribution(SourceRef(best[2], " ".join(doc.text[s:end].split())), s, end))
    if not ents and len(n_text.split()) == 1:
        named = _antecedent(doc, n_text, s)
        if named is not None:
            return _checked(Attribution(SourceRef(named[0], f"{text} ({named[1]})"), s, e))
    return _checked(Attribution(SourceRef(ents[0][1] if ents else None, text), s, e))


_COUNT_OF = re.compile(r"\s*(?:%\s*)?(?:من\s+)?(?=\S)")


def _after_count(doc: Document, n_start: int, n_end: int, share_only: bool) -> int | None:
    """Where the counted speakers' words start after the count that opens a bounded subject ("3 ناجين",
    "68 % من المشاركات"): not a date ("25 فبراير") nor another figure."""
    text = doc.norm.text
    found = find_quantities(text[n_start:n_end])
    if not found or found[0].start != 0 or found[0].value is None:
        return None
    m = _COUNT_OF.match(text, n_start + found[0].end, n_end)
    if m is None or (share_only and "%" not in m.group()) or m.end() >= n_end:
        return None
    first = _WORD_RUN.match(text, m.end())
    word = strip_conj(first.group()) if first else ""
    if not word or re.search(r"\d", word) or word in date_lexicon().months or find_quantities(word) or word in _no_claim_nouns():
        return None  # "ثلاثة وستة أشهر": a duration
    return m.end()


@lru_cache(maxsize=1)
def _no_claim_nouns() -> frozenset[str]:
    """The nouns units.tsv counts as no claim (durations, ages): never people who speak."""
    return frozenset(key(n) for _, cls, nouns in resources.read_tsv("units.tsv", 3) if cls == "none" for n in nouns.split("|"))


def _without_conjunction(doc: Document, s: int, e: int) -> int:
    """"ووزير الداخلية أكد أن": the speaker's words start after the conjunction و / ف joined to its first word."""
    raw = doc.text[s:e]
    first = raw.split()[0] if raw.split() else ""
    k = key(first)
    if len(k) > 3 and k[0] in conjunctions() and not _bare_speaker_re().match(k) and _bare_speaker_re().match(k[1:]):
        return s + raw.index(first) + 1
    return s


@lru_cache(maxsize=1)
def _bare_speaker_re() -> re.Pattern[str]:
    """A speaker noun with no clitic before it (the article allowed)."""
    return re.compile(lexicon().speaker_re.pattern.replace(f"(?:{_LETTERS})?", "", 1))


def _checked(a: Attribution) -> Attribution | None:
    """No speaker's words hold a figure ("بيانات ترجع إلى 2016/17" is a clause), but a quoted name after a
    speaker noun may ("شبكة \"السويداء 24\" المحلية")."""
    text = a.ref.text
    if lexicon().speaker_re.match(key(text)):
        text = _QUOTED_NAME.sub(" ", text)
    return None if re.search(r"\d", text) else a


_QUOTED_NAME = re.compile(r"(?<=\S)\s+[\"«][^\"»]*[\"»]")


UNBOUNDED_NAME_WORDS = 3


def _unbounded_end(doc: Document, s: int, e: int, mentions) -> int:
    """Where the speaker's words end when no complementiser bounds them: after a name that starts within
    the first words (with names joined to it), else before the first word with the preposition ب that
    is not part of a name."""
    words = list(re.finditer(r"\S+", doc.text[s:e]))
    if not words:
        return e
    limit = s + words[min(UNBOUNDED_NAME_WORDS, len(words)) - 1].end()
    if mentions and mentions[0][0] < limit:
        end = mentions[0][1]
        for ms, me, *_ in mentions[1:]:
            if re.fullmatch(r"\s*(?:و\s*)?", doc.text[end:ms]):
                end = max(end, me)
        return end
    in_name = lambda w: any(ms <= s + w.start() < me for ms, me, *_ in mentions)  # noqa: E731
    first = key(words[0].group())
    if len(words) > 1 and first.startswith("ال") and lexicon().speaker_re.match(first):
        nxt = key(words[1].group())
        if not nxt.startswith("ال") and nxt not in lexicon().link and not in_name(words[1]):
            # "وذكرت الصحيفة تفاصيل": a definite noun's adjective is definite; an indefinite word is the object
            return s + words[0].end()
        if lexicon().antecedent_re.match(first):
            # "أعلنت المؤسسة الوطنية للنفط حالة القوة القاهرة": an organisation's definite words (and لل-words,
            # ل + the article) run on; the first indefinite word is the object (not after a person's title,
            # which a name may follow)
            for i, w in enumerate(words[1:], 1):
                k = key(w.group())
                if not (k.startswith(("ال", "لل")) or k in lexicon().link or in_name(w)):
                    return s + words[i - 1].end()
    for i, w in enumerate(words[1:], 1):
        k = key(w.group())
        if words[i - 1].group().endswith(('"', "»")) and not k.startswith(("ال", "لل")) and not in_name(w):
            return s + words[i - 1].end()  # "موقع \"هالو تراست\" وجود ...": the quoted name ends; its object begins
        linked = key(words[i - 1].group()) in lexicon().link
        if (w.group().startswith("ب") and k not in lexicon().link or strip_conj(k) in lexicon().not_speaker and not linked) and not in_name(w):
            # "أفاد الموقع بتراجع ...", "أكدت مصادر طبية مقتل ...": the object begins
            return s + words[i - 1].end()
    return e


def _antecedent(doc: Document, n_word: str, before: int) -> tuple[str | None, str] | None:
    """"وتقول الصحيفة": the newspaper named earlier in the article ("صحيفة لوموند"), as (entity, its words)."""
    word = strip_conj(n_word)
    if not word.startswith("ال") or not lexicon().antecedent_re.match(word):
        return None
    head = word[2:]
    n_before = doc.norm.to_normalised(before)
    found = list(re.finditer(rf"(?<!\w)(?:{_LETTERS})?({re.escape(head)}\s+\S+)", doc.norm.text[:n_before]))
    if not found:
        return None
    following = strip_conj(found[-1].group(1).split()[-1])
    if following in lexicon().not_speaker or following in lexicon().verbs:
        return None
    s, e = doc.norm.span_to_original(found[-1].start(1), found[-1].end(1))
    words = doc.text[s:e].strip(" ،,.:\"«»")
    ents = entities_in(doc, s, e)
    return (ents[0][1] if ents else None), words


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
        prefixes, lengths = _deny_prefixes()
        # a word that is, or is cut from, a deny word (with its conjunction) holds one: none, nothing to find
        words = _WORD_RUN.finditer(n_sent) if any(d in n_sent for d in lex.deny) else ()
        for m in words:
            w = m.group()
            if deny == inf and strip_conj(w) in lex.deny:
                deny = m.end()
            top = min(len(w) - 1, longest)
            for k in lengths:  # the cut prefixes w[:k], 1 <= k <= top, that strip_conj makes a deny word
                if k > top:
                    break
                if w[:k] in prefixes:
                    self._deny_at.add(m.start() + k)
        self._deny = min(deny, _first_end(_NEGATION, n_sent, inf))
        hyp = _first_end(_CONDITION, n_sent, inf)
        for p in lex.hypothetical:
            if len(p) > 2 and (i := n_sent.find(p)) >= 0:
                hyp = min(hyp, i + len(p))
        self._hypothetical = hyp
        # an expectation marker ends the prefix or is followed by a space in it
        self._expected_end = inf
        self._expected_at: set[int] = set()
        for phrase, pattern in _expected_patterns():
            if phrase not in n_sent:  # the pattern holds the phrase: one substring search, no regex scan
                continue
            for m in pattern.finditer(n_sent):
                e = m.start() + len(m.group(1))
                if phrase in lex.particles and not _may(n_sent, m.start(), e):
                    continue
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


_WORD_RUN = re.compile(r"\S+")


@lru_cache(maxsize=1)
def _deny_prefixes() -> tuple[frozenset[str], tuple[int, ...]]:
    """Every string ``p`` with ``strip_conj(p)`` a deny word (a deny word, or a conjunction and one),
    and their lengths in order: a set lookup per length instead of ``strip_conj`` per prefix."""
    deny = lexicon().deny
    candidates = {*deny, *(c + d for c in conjunctions() for d in deny)}
    found = frozenset(p for p in candidates if strip_conj(p) in deny)
    return found, tuple(sorted({len(p) for p in found}))


@lru_cache(maxsize=1)
def _expected_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((p, re.compile(rf"(?=((?:^|\s)و?{re.escape(p)}))")) for p in lexicon().expected)


def _may(n_sent: str, start: int, end: int) -> bool:
    """Is the particle at start..end "may" ("قد يرتفع") rather than "has/had" ("قد صرح", "وكان X قد أعلن")?"""
    lex = lexicon()
    after = n_sent[end:].split()
    if not after or not after[0].startswith(lex.imperfect):
        return not after  # the prefix ends at the particle: what follows is not known yet
    clause = re.split(r"[.,;:!?،]", n_sent[:start])[-1].split()
    return not any(w in lex.fronting for w in clause)


def _first_end(pattern: re.Pattern[str], text: str, default: int) -> int:
    """The smallest end of a match of a lookahead-wrapped pattern (overlapping matches included)."""
    return min((m.start() + len(m.group(1)) for m in pattern.finditer(text)), default=default)


def latest_speaker(doc: Document, previous: list[tuple[str, int] | Attribution]) -> Attribution | None:
    """The newest earlier sentence whose source resolves (a speech verb without one does not reset it)."""
    while previous:
        last = previous[-1]
        if isinstance(last, Attribution):
            return last
        resolved = attribution(doc, *last)
        if resolved is not None:
            previous[-1] = resolved
            return resolved
        previous.pop()
    return None
