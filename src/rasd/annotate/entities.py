"""The entity stage: spans from several recognisers joined through one interface, then linked.

Recognisers each return ``Candidate`` spans (gazetteer, titles, name patterns; a trained model
joins the same way). ``link_entities`` merges them, resolves them to KB identities (or to a
document-independent id for names the KB does not know), and fills ``Document.entities``.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rasd import resources
from rasd.arabic.clitics import (
    clitic_group,
    letter_proclitics,
    lil_prefixes,
    name_proclitics,
    split_proclitics,
)
from rasd.arabic.dates import to_date
from rasd.arabic.normalise import key
from rasd.clean.text import dedupe_keywords
from rasd.kb import titles
from rasd.kb.knowledge_base import NISBA, SURNAME, KnowledgeBase, arab_states, knowledge_base, tagged_names
from rasd.model import Document, Entity, Mention

_WORD = re.compile(r"\w")
# Proclitics allowed before a name (resources/clitics.tsv, verbs' future س aside); after ل, ول, فل the
# article loses its alef (للولايات), which the knowledge base's "lil" forms spell.
_CLITICS_BEFORE_MATCH = name_proclitics()
_LIL_PREFIXES = lil_prefixes()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span of the document (original offsets) that names an entity."""

    start: int
    end: int
    entity: str  # KB id, or "new:<skeleton>" for a name the KB does not know
    kind: str  # name | alias | nisba | surname | title | pattern | model
    type: str | None = None  # for new entities
    name: str | None = None  # for new entities: the surface name


def link_entities(doc: Document) -> Document:
    kb = knowledge_base()
    text = scan_text(doc)
    hits = _SCANNED.pop(doc.text, None)
    if hits is None:
        hits = kb_scan(text, kb)
    cands = regions_named(doc, text, gazetteer_candidates(doc, text, kb, hits), kb)
    cands += ministry_candidates(doc, text, cands, kb)
    cands += army_candidates(doc, text, cands, kb)
    cands += coreference_candidates(doc, text, cands, kb)
    cands += title_candidates(doc, text, cands, kb)
    cands = capital_actors(text, cands, kb, doc)
    cands += pattern_candidates(doc, text, cands, kb)
    cands += model_candidates(doc, cands, kb, hits)
    entities = _assemble(doc, new_name_parts(doc, cands, kb), kb)
    keywords = doc.keywords
    if doc.keywords_raw and not keywords:
        keywords = tuple(segment_keywords(doc.keywords_raw, kb))
    return doc.replace(entities=entities, keywords=keywords)


def scan_text(doc: Document) -> str:
    """The text the KB automaton reads: the normalised text with hyphens and underscores as spaces,
    so that names joined into a hashtag (#فلاديمير_بوتين، تحالف_دعم_الشرعية) or hyphenated are
    whole words. Same length as the normalised text, so offsets map back unchanged."""
    return doc.norm.text.replace("-", " ").replace("_", " ")  # two C replaces: str.translate with a dict is slower


def _clitic_ok(text: str, start: int, lil: bool) -> bool:
    t = start
    while t > 0 and _WORD.match(text[t - 1]):
        t -= 1
    prefix = text[t:start]
    if lil:
        return prefix in _LIL_PREFIXES
    return prefix == "" or prefix in _CLITICS_BEFORE_MATCH


def kb_scan(text: str, kb: KnowledgeBase) -> list[tuple[int, int, str, tuple]]:
    """The one pass of the KB automaton over a document (its normalised text, hyphens as spaces):
    every match that is a whole word after a proclitic that fits it (start, end, key, readings).
    The gazetteer links from these; the NER model takes its KB features from them."""
    out = []
    for end_idx, (k, forms) in kb.automaton.iter(text):
        start = end_idx - len(k) + 1
        end = end_idx + 1
        if end < len(text) and _WORD.match(text[end]):
            continue
        valid = tuple(f for f in forms if _clitic_ok(text, start, f.lil))
        if valid:
            out.append((start, end, k, valid))
    return out


def gazetteer_candidates(doc: Document, text: str, kb: KnowledgeBase, hits: list | None = None) -> list[Candidate]:
    """Knowledge-base matches (``kb_scan``) that link: not a word that is never a name alone, the
    context a short or ordinary-word name needs, the longest match where matches overlap."""
    found: list[tuple[int, int, tuple]] = []
    for start, end, k, valid in kb_scan(text, kb) if hits is None else hits:
        if k in kb.not_names and all(f.kind != NISBA for f in valid):
            continue
        if _first_name(text, start, end, k, valid, kb) or (k in kb.short_forms and _after_definite(text, start)) \
                or _family_nisba(text, start, k, valid, kb):
            continue
        found.append((start, end, valid))
    found = _supported(text, found, kb)
    found.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    taken: list[tuple[int, int]] = []  # disjoint spans, sorted: an overlap can only be with a neighbour
    context = _context_entities(found, kb)
    admin = titles.words("admin")
    out: list[Candidate] = []
    inner: list[tuple[int, int, bool]] = []  # names that are not states (and whether a place), for the states inside
    for start, end, forms in found:
        i = bisect.bisect_left(taken, (start, end))
        if (i > 0 and taken[i - 1][1] > start) or (i < len(taken) and taken[i][0] < end):
            continue
        form = _choose(forms, context, kb, text[start:end].split(" ", 1)[0] in admin)
        taken.insert(i, (start, end))
        os_, oe = doc.norm.span_to_original(start, end)
        out.append(Candidate(os_, oe, form.entity, form.kind))
        if kb.entities[form.entity].country != form.entity:
            inner.append((start, end, kb.entities[form.entity].type in ("GPE", "LOC")))
    out += _states_inside(doc, text, found, inner, kb)
    return out


def _states_inside(doc: Document, text: str, found: list[tuple[int, int, tuple]], spans: list[tuple[int, int, bool]],
                   kb: KnowledgeBase) -> list[Candidate]:
    """A state named inside a longer name (الجيش اليمني، تحالف دعم الشرعية في اليمن، وكالة الأنباء
    السعودية، إقليم كردستان العراق) is also mentioned: the organisation or region is that state's.
    Only states, by their name or nisba, and only inside the name of something that is not a state."""
    if not spans:
        return []
    spans.sort()
    starts = [s for s, _e, _place in spans]
    admin = titles.words("admin")
    out = []
    for start, end, forms in found:
        i = bisect.bisect_right(starts, start) - 1
        if i < 0 or end > spans[i][1] or (start, end) == spans[i][:2]:
            continue
        # In a place's name the state is the last words and qualifies another name (كردستان العراق);
        # تونس العاصمة and ولاية تونس name a city and a region, not the state.
        if spans[i][2] and (end != spans[i][1] or text[spans[i][0]:start].split()[-1:] in ([], *([w] for w in admin))):
            continue
        states = [f for f in forms if kb.entities[f.entity].type == "GPE" and kb.entities[f.entity].country == f.entity]
        if len(states) == len(forms) and len({f.entity for f in states}) == 1:
            out.append((start, end, states[0]))
    # the longest reading of each (اليمني, not the يمني inside it)
    out = [(s, e, f) for s, e, f in out if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _f in out)]
    return [Candidate(*doc.norm.span_to_original(s, e), f.entity, f.kind) for s, e, f in out]


_DEFINITE_BEFORE = re.compile(r"(?:^|\s)(?:[وفب]?ال|لل)\w+\s+$")


def _after_definite(text: str, start: int) -> bool:
    """A ministry named without وزارة (الخارجية الأمريكية) is an adjective after a definite noun
    (السياسة الخارجية الأمريكية، الشؤون الداخلية السورية): then it names no ministry."""
    return bool(_DEFINITE_BEFORE.search(text, max(0, start - 30), start))


_FAMILY_NAME = re.compile(r"\s+(ال\w{3,}ي)(?!\w)")


def _first_name(text: str, start: int, end: int, k: str, forms: tuple, kb: KnowledgeBase) -> bool:
    """A state's one-word nisba or name without the article that a family name follows is a first
    name (تركي المالكي، رياض المالكي): an indefinite adjective does not take a definite -ي word
    after it, a surname does. Not when that word is itself a nisba (عربي الأصل is rare, الروسي
    would agree)."""
    if " " in k or k.startswith("ال") or not all(kb.entities[f.entity].type == "GPE" for f in forms):
        return False
    m = _FAMILY_NAME.match(text, end)
    return bool(m) and m.group(1) not in kb.forms


_PREV_NAME_WORD = re.compile(r"(?:^|\s)(\w+)\s+$")


def _family_nisba(text: str, start: int, k: str, forms: tuple, kb: KnowledgeBase) -> bool:
    """A state's definite one-word nisba right after an indefinite word of a person's name is a
    family name (سيف السويدي، محمد المصري): an adjective agrees with a definite noun, a family name
    follows a given name. Not after a definite word or a title (الرئيس السويدي، وزير الخارجية السويدي)."""
    if " " in k or not k.endswith("ي") or not all(f.kind == NISBA for f in forms):
        return False  # a family name has the nisba's masculine singular form
    t = start
    while t > 0 and _WORD.match(text[t - 1]):
        t -= 1
    if not ((k.startswith("ال") and t == start) or text[t:start] == "ال"):
        return False  # with و or ب before it, the nisba is coordinated or a complement (والأميركي)
    m = _PREV_NAME_WORD.search(text, max(0, t - 30), t)
    if not m:
        return False
    word = key(m.group(1))
    if word.startswith("ال") or word in titles.office_titles() or word in _title_words() or word in kb.forms:
        return False
    nouns, ranks = _common_words()
    return word in _given_names(kb) and word not in nouns and not _common_noun(word, nouns, ranks)


def _supported(text: str, found: list[tuple[int, int, tuple]], kb: KnowledgeBase) -> list[tuple[int, int, tuple]]:
    """Drop the readings of a match that need context and have none. A generated spelling marked
    ``context`` (one short word, a word the news also uses as an ordinary word, a village name) links
    only when the same entity is named elsewhere in the document by a spelling that links alone, or
    when a place word (مدينة، محافظة، بلدة ...) or a title stands right before it."""
    curated = {f.entity for _s, _e, forms in found for f in forms if not f.generated}
    states = {kb.entities[e].country for e in curated} | curated
    # A generated one-word place of a state the document does not name (البيضاء: Bayda, Libya in
    # news on Yemen) needs context too.
    admin = titles.words("admin")
    weakness = [[text[s:e].split(" ", 1)[0] not in admin and (f.context or (f.generated and " " not in text[s:e] and kb.entities[f.entity].country
                               not in (None, *states))) for f in forms] for s, e, forms in found]
    # A generated one-word place right beside a word that is no word of the news and no known name
    # is part of a person's name (تانيشا ملبورن، كارلوس هولمز، ادغار معلوف): it needs context too.
    for (s, e, forms), weak in zip(found, weakness, strict=True):
        if " " not in text[s:e] and any(f.generated and kb.entities[f.entity].type in ("GPE", "LOC") for f in forms) \
                and _beside_unknown_word(text, s, e, kb):
            weak[:] = [w or (f.generated and kb.entities[f.entity].type in ("GPE", "LOC")) for f, w in zip(forms, weak, strict=True)]
    named = {f.entity for (_s, _e, forms), weak in zip(found, weakness, strict=True)
             for f, w in zip(forms, weak, strict=True) if not w}
    out = []
    for (start, end, forms), weak in zip(found, weakness, strict=True):
        if not any(weak):
            out.append((start, end, forms))
            continue
        before = text[max(0, start - 40):start]
        keep = tuple(f for f, w in zip(forms, weak, strict=True) if not w or f.entity in named
                     or _cue_before(before, kb.entities[f.entity].type)
                     or _state_follows(text, end, kb.entities[f.entity], found, kb))
        if keep:
            out.append((start, end, keep))
    return out


_STATE_GAP = re.compile(r"\s*[،,]?\s*")


def _state_follows(text: str, end: int, entity, found: list[tuple[int, int, tuple]], kb: KnowledgeBase) -> bool:
    """A place followed by its own state, after a comma or not (a dateline's "أتلانتا، الولايات
    المتحدة الأمريكية (CNN)"; "سياتل الأمريكية"): the state is the context a generated place needs.
    For a place whose state the knowledge base does not know, any state after a comma."""
    if entity.type not in ("GPE", "LOC", "FACILITY") or entity.country == entity.id:
        return False
    gap = _STATE_GAP.match(text, end)
    if entity.country is None and not any(c in gap.group() for c in "،,"):
        return False
    return any(s == gap.end() and any(f.entity == (entity.country or f.entity) and kb.entities[f.entity].type == "GPE"
                                      and kb.entities[f.entity].country == f.entity for f in forms)
               for s, _e, forms in found)


_SUFFIXES = ("ه", "ها", "هم", "هن", "هما", "كم", "نا")
_PREV_WORD = re.compile(r"(?:^|\s)(\w+) $")
_NEXT_WORD = re.compile(r" (\w+)(?:\s|$|[^\w])")


def _beside_unknown_word(text: str, start: int, end: int, kb: KnowledgeBase) -> bool:
    """The word right before or after (a space between, no punctuation) is neither a word the news
    uses (resources/common_words.tsv), nor a function word, nor a knowledge-base name, with or
    without its proclitic: the unknown other part of a name."""
    nouns, ranks = _common_words()
    stop = titles.words("stop")
    for m in (_PREV_WORD.search(text, max(0, start - 30), start), _NEXT_WORD.match(text, end)):
        if not m:
            continue
        w = key(m.group(1))
        if len(w) < 3 or w.startswith("ال") or not w.isalpha() or w.isascii() or w.endswith(_SUFFIXES):
            continue  # (a word with a pronoun or ة, مقرها، رأسه، وحجبهن: a noun or verb, not a name)
        if not any(st in nouns or st in ranks or st in stop or st in kb.forms or st in kb.not_names
                   for _p, st in split_proclitics(w)):
            return True
    return False


def _cue_before(before: str, etype: str) -> bool:
    """A title right before a person, a place word right before a place (resources/name_context.tsv)."""
    kind = "title" if etype == "PERSON" else "place" if etype in ("GPE", "LOC", "FACILITY") else None
    return bool(kind and titles.before_pattern(kind).search(before))


def _context_entities(found: list[tuple[int, int, tuple]], kb: KnowledgeBase) -> set[str]:
    """Entities and states named unambiguously in the document, to decide ambiguous forms."""
    ctx: set[str] = set()
    for _s, _e, forms in found:
        ids = {f.entity for f in forms}
        if len(ids) == 1:
            eid = next(iter(ids))
            ctx.add(eid)
            country = kb.entities[eid].country
            if country:
                ctx.add(country)
    return ctx


# English names of administrative regions (Najran Province, not Najran the city, for منطقة نجران).
_REGION_EN = re.compile(r"\b(?:Governorate|Province|Region|District|Oblast|Prefecture|County)\b")


def _choose(forms: tuple, context: set[str], kb: KnowledgeBase, region: bool = False):
    """The reading of an ambiguous form: one the document's other names support, by form kind; a
    form that opens with an admin word (محافظة، منطقة) is the region's before a city's."""
    if len(forms) == 1:
        return forms[0]
    kind_rank = {"name": 0, "alias": 1, "nisba": 2, "surname": 3}

    def score(f):
        e = kb.entities[f.entity]
        in_context = f.entity in context or (e.country in context and e.country != f.entity)
        return (region and not _REGION_EN.search(e.name), not in_context, kind_rank.get(f.kind, 4),
                e.type != "GPE" or e.country != e.id)

    return min(forms, key=score)


def regions_named(doc: Document, text: str, cands: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """A document that names a region with its admin word (محافظة صعدة، منطقة نجران) and never
    writes "مدينة X" means the region by the bare name too (صعدة، البيضاء): one sense per document.
    The bare name's mentions move from the city of that name to the region, and a bare name the
    knowledge base does not link alone (البيضاء is also "the white") becomes the region's."""
    admin = titles.words("admin")
    regions: dict[str, str] = {}
    for c in cands:
        first, _sp, rest = key(doc.text[c.start:c.end]).partition(" ")
        e = kb.entities.get(c.entity)
        if first in admin and rest and e is not None and e.type in ("GPE", "LOC"):
            regions.setdefault(rest, c.entity)
    if not regions:
        return cands
    out = []
    for c in cands:
        region = regions.get(key(doc.text[c.start:c.end]))
        out.append(Candidate(c.start, c.end, region, c.kind) if region and not _city_named(text, c, doc) else c)
    covered = sorted((c.start, c.end) for c in out)
    for bare, region in regions.items():
        if re.search(rf"(?<!\w){clitic_group()}مدينه {re.escape(bare)}(?!\w)", text):
            continue
        for m in re.finditer(rf"(?<!\w){clitic_group()}(?P<name>{re.escape(bare)})(?!\w)", text):
            os_, oe = doc.norm.span_to_original(m.start("name"), m.end())
            if not any(os_ < e and s < oe for s, e in covered):
                out.append(Candidate(os_, oe, region, "alias"))
    return out


def _city_named(text: str, c: Candidate, doc: Document) -> bool:
    bare = key(doc.text[c.start:c.end])
    return bool(re.search(rf"(?<!\w){clitic_group()}مدينه {re.escape(bare)}(?!\w)", text))


def ministry_candidates(doc: Document, text: str, cands: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """A ministry named by its portfolio alone (وزارة المالية، وزارة الخارجية) is the ministry of the
    state the document is about: the state it names most often, when one state is named more often
    than any other. Not when a place follows (وزارة الصحة في غزة is the ministry there)."""
    if "وزاره " not in text:
        return []
    state = _document_state(cands, kb)
    if state is None:
        return []
    covered = [(c.start, c.end) for c in cands]
    out = []
    for m in _portfolio_pattern(kb).finditer(text):
        if text.startswith(" في ", m.end()):
            continue
        eid = kb.ministries.get((m.group("portfolio"), state))
        os_, oe = doc.norm.span_to_original(m.start("name"), m.end())
        if eid is None or any(os_ < e and s < oe for s, e in covered):
            continue
        out.append(Candidate(os_, oe, eid, "alias"))
    return out


_BARE_ARMY = re.compile(rf"(?<!\w){clitic_group()}(?P<name>الجيش)(?!\w)(?!\s+ال)")


def army_candidates(doc: Document, text: str, cands: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """The army named without its state (الجيش، قوات الجيش; not الجيش الأمريكي or الجيش الحر, where
    a definite word follows) is the one army the document names with its state, else the army of
    the state the document is about (as a ministry named by its portfolio alone)."""
    if "الجيش" not in text:
        return []
    armies = set(kb.armies.values())
    named = {c.entity for c in cands if c.entity in armies}
    if len(named) == 1:
        army = next(iter(named))
    elif named:
        return []
    else:
        state = _document_state(cands, kb)
        army = kb.armies.get(state) if state else None
        if army is None:
            return []
    covered = sorted((c.start, c.end) for c in cands)
    out = []
    for m in _BARE_ARMY.finditer(text):
        os_, oe = doc.norm.span_to_original(m.start("name"), m.end("name"))
        if not any(os_ < e and s < oe for s, e in covered):
            out.append(Candidate(os_, oe, army, "alias"))
    return out


def _document_state(cands: list[Candidate], kb: KnowledgeBase) -> str | None:
    counts: dict[str, int] = defaultdict(int)
    for c in cands:
        e = kb.entities.get(c.entity)
        if e is not None and ((e.type == "GPE" and e.country == e.id) or (e.type == "NORP" and e.country)):
            counts[e.country] += 1  # the state, or its people (الفلسطينيون)
    ranked = sorted(counts.items(), key=lambda x: -x[1])
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


_PORTFOLIOS: dict[int, re.Pattern[str]] = {}


def _portfolio_pattern(kb: KnowledgeBase) -> re.Pattern[str]:
    if id(kb) not in _PORTFOLIOS:
        names = sorted({p for p, _state in kb.ministries}, key=len, reverse=True)
        _PORTFOLIOS.clear()
        _PORTFOLIOS[id(kb)] = re.compile(
            rf"(?<!\w){clitic_group()}(?P<name>وزاره (?P<portfolio>{'|'.join(map(re.escape, names))}))(?!\w)")
    return _PORTFOLIOS[id(kb)]


def coreference_candidates(doc: Document, text: str, cands: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """A person named in full may be named later by one part of the name (كيم، شين، أوستن)."""
    unique, fuzzy = _name_parts(doc, cands, kb)
    if not unique:
        return []
    # A word one edit off a name part keeps its first two letters (three after the article) or its
    # last three (two for a four-letter part); the exact part keeps its last three.
    heads = {w[:3] if w.startswith("ال") else w[:2] for w in unique if len(w) >= 4}
    tails = {w[-2:] if len(w) == 4 else w[-3:] for w in unique}
    head_re = re.compile(rf"{clitic_group()}(?:{'|'.join(sorted(heads))})") if heads else None
    shortest, longest = min(map(len, unique)), max(map(len, unique))
    covered = sorted((c.start, c.end) for c in cands)
    starts = [a for a, _ in covered]
    reach = list(itertools.accumulate((b for _, b in covered), max))  # furthest end among the first k spans
    out = []
    for m in re.finditer(r"\w+", text):
        token = m.group()
        # cheap filters: a name part, or one letter off it, after at most a three-letter proclitic
        if not shortest - 1 <= len(token) <= longest + 5:
            continue
        if token[-3:] not in tails and token[-2:] not in tails and not (head_re and head_re.match(token)):
            continue
        readings = [(p, st) for p, st in split_proclitics(token) if p in _CLITICS_BEFORE_MATCH or not p]
        if not any(st in unique or (len(st) >= 4 and (st[:2] in heads or st[:3] in heads or st[-3:] in tails
                                                      or st[-2:] in tails)) for _p, st in readings):
            continue
        os_, oe = doc.norm.span_to_original(m.start(), m.end())
        k = bisect.bisect_left(starts, oe)  # spans starting before the token ends; one overlaps if it reaches past its start
        if k and reach[k - 1] > os_:
            continue
        for prefix, stem in readings:
            target = stem if stem in unique else _one_edit(stem, fuzzy) if len(stem) >= 4 and stem not in kb.not_names else None
            if target is not None and target != stem and len(stem) < FUZZY_ALONE_LETTERS \
                    and not _beside_name(text, m.start(), m.end(), unique[target], unique):
                target = None  # a short word one letter off a name (تراقب، تراب for ترامب) is a word
            if target is not None:
                ps, pe = doc.norm.span_to_original(m.start() + len(prefix), m.end())
                out.append(Candidate(ps, pe, unique[target], "coref"))
                break
    return out


# A word one letter off a name part stands for the name on its own only when it is at least this long;
# a shorter one (سيري for سيرغي; but also تراقب "monitors" and تراب "soil" for ترامب) needs another part
# of the same person's name beside it, or a title right before it.
FUZZY_ALONE_LETTERS = 6


def _beside_name(text: str, start: int, end: int, entity: str, unique: dict[str, str]) -> bool:
    prev = re.search(r"(\w+)\s+$", text[max(0, start - 40):start])
    nxt = re.match(r"\s+(\w+)", text[end:end + 40])
    for m in (prev, nxt):
        if m and any(unique.get(stem) == entity for _p, stem in split_proclitics(m.group(1))):
            return True
    return _cue_before(text[max(0, start - 40):start], "PERSON")


def _name_parts(doc: Document, cands: list[Candidate], kb: KnowledgeBase) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Words of the names of people the document names in full, each of one person only, and the
    deletion index of the longer ones: one-letter typos of a name part (سيري for سيرغي، بوتبن for
    بوتين) count when the person is named correctly in the same document."""
    parts: dict[str, set[str]] = defaultdict(set)
    for c in cands:
        e = kb.entities.get(c.entity)
        if e is None or e.type != "PERSON" or c.kind in (SURNAME, "coref"):
            continue
        not_parts = _not_name_parts()
        # In an Arab name only the family name (the last word) or a rare given name stands for the
        # person: محمد، أحمد، علي are the given names of many (محمد for محمد علي الحوثي is anyone).
        arab = (e.country or "") in arab_states()
        nouns, ranks = _common_words()
        for words in (key(e.name_ar).split(), key(doc.text[c.start:c.end]).split()):
            for i, word in enumerate(words):
                if len(word) < 3 or word in kb.not_names or word in not_parts:
                    continue
                if arab and i < len(words) - 1 and (word in ranks or word in nouns):
                    continue
                parts[word].add(c.entity)
    unique = {w: next(iter(ids)) for w, ids in parts.items() if len(ids) == 1}
    return unique, _deletion_index(w for w in unique if len(w) >= 4)


@lru_cache(maxsize=1)
def _not_name_parts() -> frozenset[str]:
    """Words of a person's mention that never stand for the person alone: the words of titles and
    offices (ولي العهد، الأمير، الملك), the words inside names (عبد، بن، أبو) and function words
    (على, which folds to the name علي)."""
    out = {w for kind in ("title", "name_link", "stop") for t in titles.words(kind) for w in t.split()}
    out |= {w for t in titles.office_titles() for w in t.split()}
    out |= {key(w) for (w,) in resources.read_tsv("function_words.tsv", 1)}
    return frozenset(out)


def _deletion_index(words) -> dict[str, set[str]]:
    """Every word and every one-letter deletion of it, pointing back to the word (SymSpell's trick)."""
    index: dict[str, set[str]] = defaultdict(set)
    for w in words:
        index[w].add(w)
        for i in range(len(w)):
            index[w[:i] + w[i + 1:]].add(w)
    return index


def _one_edit(word: str, index: dict[str, set[str]]) -> str | None:
    """The single known word within one insertion, deletion or substitution of ``word``, if exactly one."""
    if not index:
        return None
    found = set(index.get(word, ()))
    for i in range(len(word)):
        found |= index.get(word[:i] + word[i + 1:], set())
    found = {w for w in found if _distance_at_most_one(word, w)}
    return next(iter(found)) if len(found) == 1 else None


def _distance_at_most_one(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def title_candidates(doc: Document, text: str, cands: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """A title before a state ("وزير الدفاع الكوري الجنوبي", "زعيم كوريا الشمالية") names the
    office holder at the document's date, unless a name follows it. Without a date, the state alone."""
    on = to_date(doc.published)
    if on is None:
        return []
    pattern = titles.office_before_pattern()
    persons = sorted((c for c in cands if kb.entities.get(c.entity) and kb.entities[c.entity].type == "PERSON"), key=lambda c: c.start)
    out = []
    for c in cands:
        e = kb.entities.get(c.entity)
        if e is None or e.type != "GPE" or e.country != e.id:
            continue
        ns = doc.norm.to_normalised(c.start)
        window = text[max(0, ns - 40):ns]
        m = pattern.search(window)
        if not m:
            continue
        role_norm = ns - len(window) + _title_start(m)
        role_start = doc.norm.to_original(role_norm)
        # An appositive name beside the title (before or after it) is the mention; the title adds none.
        if any(0 <= p.start - c.end <= 3 or 0 <= role_start - p.end <= 3 for p in persons):
            continue
        if _not_the_holder(text, role_norm, doc.norm.to_normalised(c.end)):
            continue
        holder = kb.holder(c.entity, kb.roles[m.group("role")], on)
        if holder:
            out.append(Candidate(role_start, c.end, holder, "title"))
    return out


def _title_start(m: re.Match) -> int:
    """Where an office title starts in its match: with its article (الرئيس, not رئيس, when the
    optional proclitic group took the ال), after a one-letter proclitic (و، ب، ل)."""
    prefix = m.group(0)[:m.start("role") - m.start()]
    if prefix.endswith("ال"):
        return m.start("role") - 2
    return m.start("role")


_NEXT = re.compile(r"\s+(\w+)")
_PREV = re.compile(r"(\w+)\s+$")


def _not_the_holder(text: str, title_start: int, state_end: int) -> bool:
    """An office title and its state that name someone other than the holder on the article's date:
    a former or future holder (الرئيس العراقي السابق، الرئيس المنتخب) or another person by the
    holder's title (نائب الرئيس العراقي، زوجة الرئيس). The words are name_context.tsv's
    office_not_current (after) and office_other (before)."""
    after = _NEXT.match(text, state_end)
    if after and key(after.group(1)) in titles.words("office_not_current"):
        return True
    before = _PREV.search(text, max(0, title_start - 25), title_start)
    if before:
        word = before.group(1)
        return any(st in titles.words("office_other") for _p, st in split_proclitics(key(word)))
    return False


def capital_actors(text: str, cands: list[Candidate], kb: KnowledgeBase, doc: Document) -> list[Candidate]:
    """A capital that acts stands for its state (metonymy: "أكدت أن واشنطن"، "موقف طهران"): its
    mention is the state's. A capital after a preposition, a place word or anything else
    stays the city (في موسكو، بواشنطن، مطار موسكو، من دمشق). The cue words are resources/kb/capital_actor.tsv."""
    out = []
    for c in cands:
        e = kb.entities.get(c.entity)
        if e is not None and e.capital_of and c.kind in ("name", "alias") and _capital_acts(text, doc.norm.to_normalised(c.start)):
            c = Candidate(c.start, c.end, e.capital_of, c.kind)
        out.append(c)
    return out


def _capital_acts(text: str, start: int) -> bool:
    """The word before the capital is a complementiser (أن واشنطن) or a noun of a government's stance
    (موقف موسكو); the capital itself carries no preposition (للرياض، بواشنطن: a place)."""
    t = start
    while t > 0 and _WORD.match(text[t - 1]):
        t -= 1
    if set(text[t:start]) - set("وف"):
        return False
    before = _PREV.search(text, max(0, t - 25), t)
    if not before:
        return False
    cues = _capital_cues()
    return any(st in cues for _p, st in split_proclitics(key(before.group(1))))


@lru_cache(maxsize=1)
def _capital_cues() -> frozenset[str]:
    words = {w for _kind, ws in resources.read_tsv(resources.path("kb/capital_actor.tsv"), 2) for w in ws.split("|")}
    return frozenset(key(w) for w in words if w)


# A third name word must not be among this many most frequent words ("نواز شريف بسبب" ends at شريف);
# first and second words may be (محمد، علي are frequent and names).
LAST_WORD_MAX_RANK = 1500


@lru_cache(maxsize=1)
def _common_words() -> tuple[frozenset[str], dict[str, int]]:
    """Common nouns (never name words) and frequency ranks, from resources/common_words.tsv."""
    nouns, ranks = set(), {}
    for w, kind, rank in resources.read_tsv("common_words.tsv", 3):
        if kind == "noun":
            nouns.add(w)
        if rank:
            ranks[w] = int(rank)
    return frozenset(nouns), ranks


def _common_noun(word: str, nouns: frozenset[str], ranks: dict[str, int]) -> bool:
    """A common noun (with or without a proclitic), a common word with a pronoun suffix (تورطه،
    مهامه، بانها), or a Latin-script word (an acronym such as CIA, not part of an Arabic name)."""
    if word.isascii() or re.search(r"(?:ها|هم|هما)$", word):
        return True
    bare = word[1:] if word[:1] in "لبو" else word
    return word in nouns or bare in nouns or (word.endswith("ه") and (word[:-1] in nouns or word[:-1] in ranks))


_NAME_WORD = re.compile(r"([\s،,]+)([^\W\d_]+)")


def _not_a_name_word(w: str, ranks: dict[str, int], kb: KnowledgeBase) -> bool:
    """A word after a title that cannot be part of an unknown person's name: a frequent word of the
    news that is no word of a known person's name (بأن، أخرى، يأتي), one behind a conjunction or
    preposition (وقال، وهو), or a definite word behind one (والذين، للتحقيق، بالتحرش)."""
    names = _person_name_words(kb)
    if w in ranks and w not in names:
        return True
    return any(p and (st.startswith("ال") or (st in ranks and st not in names) or st in kb.forms)
               for p, st in split_proclitics(w)[1:] if len(st) >= 2)


_GIVEN_NAMES: dict[int, frozenset[str]] = {}


def _given_names(kb: KnowledgeBase) -> frozenset[str]:
    """The first words of the knowledge base's people's full names (حسن روحاني: حسن), not the
    words of the news or the name links (عبد، أبو)."""
    if id(kb) not in _GIVEN_NAMES:
        stop, links = titles.words("stop"), titles.words("name_link")
        names = {k.split()[0] for k, forms in kb.forms.items()
                 if " " in k and any(kb.entities[f.entity].type == "PERSON" and not f.lil for f in forms)}
        _GIVEN_NAMES.clear()
        _GIVEN_NAMES[id(kb)] = frozenset(w for w in names if len(w) > 2 and w not in stop and w not in links)
    return _GIVEN_NAMES[id(kb)]


_PERSON_WORDS: dict[int, frozenset[str]] = {}


def _person_name_words(kb: KnowledgeBase) -> frozenset[str]:
    """Every word of a person's name the knowledge base spells (curated, generated and the rare
    open-list names): a frequent word of the news after a title is a name word only if it is one."""
    if id(kb) not in _PERSON_WORDS:
        words = {w for k, forms in kb.forms.items() if any(kb.entities[f.entity].type == "PERSON" for f in forms)
                 for w in k.split()}
        words |= {w for k, e in tagged_names().items() if e.type == "PERSON" for w in k.split()}
        _PERSON_WORDS.clear()
        _PERSON_WORDS[id(kb)] = frozenset(words)
    return _PERSON_WORDS[id(kb)]


@lru_cache(maxsize=1)
def _relatives() -> frozenset[str]:
    """Relative pronouns (speech_verbs.tsv, relative)."""
    return frozenset(key(w) for kind, ws in resources.read_tsv("speech_verbs.tsv", 2) if kind == "relative"
                     for w in ws.split("|") if w)


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    """The words of titles and office titles (name_context.tsv, roles.tsv), not the words inside
    names (عبد، أبو، بن): a word of a title is not a word of the name after it (ومعالي وزير)."""
    links = titles.words("name_link")
    out = {w for t in titles.words("title") for w in t.split()} | {w for t in titles.office_titles() for w in t.split()}
    return frozenset(w for w in out if w not in links and len(w) > 2)


def _title_word(word: str) -> bool:
    return any(st in _title_words() for p, st in split_proclitics(key(word)) if not p or p in _CLITICS_BEFORE_MATCH)


def pattern_candidates(doc: Document, text: str, cands: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """Names the KB does not know, after titles and roles: الجنرال X Y، المتحدث باسم الجيش الأوكراني X Y،
    المحقق الخاص، روبرت مولر.

    After the title, up to three words that belong to it (its object: الجيش، الأوكراني) are skipped;
    then two or three words that are neither function words nor known names form the name. A comma
    may stand before the name (apposition), not inside it."""
    pattern, stop, links = titles.title_pattern(), titles.words("stop"), titles.words("name_link")
    covered = [(c.start, c.end) for c in cands]
    out = []
    for m in pattern.finditer(text):
        pos = m.end()
        words: list[tuple[int, int, str, bool]] = []  # start, end, word, comma before it
        for _ in range(6):
            w = _NAME_WORD.match(text, pos)
            if not w:
                break
            words.append((w.start(2), w.end(2), w.group(2), "،" in w.group(1) or "," in w.group(1)))
            pos = w.end()
        skip = 0
        while skip < min(3, len(words)) and (words[skip][2].startswith("ال") or words[skip][2] in ("باسم", "عام")) \
                and key(words[skip][2]) not in _relatives():  # a relative pronoun (التي، الذي) ends the title's words
            skip += 1
        nouns, ranks = _common_words()
        name_words = []
        linked = 0  # words that follow a name link (عبد الرحمن): the name may run one word longer each
        for i, (s, e, w, comma) in enumerate(words[skip:skip + 3 + linked]):
            after_link = i > 0 and words[skip + i - 1][2] in links
            if after_link and not comma and w not in stop and i < 4:
                linked += 1
                name_words.append((s, e))
                continue
            if (comma and i > 0) or w in stop or w.startswith("ال") or w in kb.not_names or w in kb.forms \
                    or _title_word(w):
                break
            if _common_noun(w, nouns, ranks) or (i - linked == 2 and ranks.get(w, LAST_WORD_MAX_RANK + 1) <= LAST_WORD_MAX_RANK):
                break
            if _not_a_name_word(key(w), ranks, kb):
                break
            name_words.append((s, e))
        while name_words and key(text[name_words[-1][0]:name_words[-1][1]]) in links:
            name_words.pop()  # a name does not end on عبد or بن
        if len(name_words) < 2:
            continue
        os_, oe = doc.norm.span_to_original(name_words[0][0], name_words[-1][1])
        if any(os_ < e and s < oe for s, e in covered):
            continue
        surface = doc.text[os_:oe]
        out.append(Candidate(os_, oe, "new:" + skeleton(surface), "pattern", "PERSON", surface))
        covered.append((os_, oe))
    return out


_MODEL_TYPES = {"PERS": "PERSON", "LOC": "LOC", "ORG": "ORG"}
# A span made only of words this frequent in news (rank in the model's corpus vocabulary) and still
# not in the knowledge base is a generic place or a common phrase (أوروبا، المحيط الهادئ), not the
# new commander or village the model is there to find; names that frequent belong in resources/kb.
MODEL_FREQUENT_RANK = 5000
_SINGLE_CLITICS = tuple(sorted(letter_proclitics()))


def model_candidates(doc: Document, cands: list[Candidate], kb: KnowledgeBase, hits: list | None = None) -> list[Candidate]:
    """Spans of the trained NER model (resources/ner.npz) that no other recogniser covers.

    A span whose text the knowledge base knows takes its identity; any other PERS, LOC or ORG span
    becomes a new entity whose id is the skeleton of its spelling, shared across documents. MISC
    spans (events, products, nationalities in ANERcorp's sense) are left out. Off unless asked for
    (``use_ner``, RASD_NER, ``--ner``)."""
    model = _ner_model()
    if model is None or not doc.text:
        return []
    covered = [(c.start, c.end) for c in cands]
    parts = None
    out = []
    spans = _PRETAGGED.pop(doc.text, None)
    if spans is None:
        feature_hits = None if hits is None else _feature_hits(doc, hits)
        spans = model.entities(doc.text, [(s.start, s.end) for s in doc.sentence_spans], feature_hits)
    spans = [p for sp in spans for p in _split_coordination(doc.text, sp, model)]
    # The model's spans of the document, spelled as they are: a span that is another one with a
    # one-letter proclitic (وكفريا beside كفريا) is that one.
    tagged = {key(doc.text[s:e]) for s, e, _k in spans}
    for start, end, kind in spans:
        if kind not in _MODEL_TYPES or any(start < ce and cs < end for cs, ce in covered):
            continue
        first = key(doc.text[start:end])
        if first[:1] in _SINGLE_CLITICS and first[1:] in tagged:
            start += 1
        else:
            start = _strip_clitic(doc.text, start, end, model)
        surface = doc.text[start:end]
        k = key(surface)
        eid = _known_identity(k, kb, _MODEL_TYPES.get(kind))
        if eid is None and " " not in k and len(k) >= 4:
            # The model tags as a name a word one letter off a part of a person named in full in the
            # document: the tag is the context a short typo needs (يونج for جونج in كيم جونج أون).
            unique, fuzzy = parts = parts or _name_parts(doc, cands, kb)
            target = _one_edit(k, fuzzy) if k not in kb.not_names else None
            eid = unique[target] if target is not None else None
        if eid is not None:
            ftype = None
        else:
            if len(k.replace(" ", "")) < 3 or k in kb.not_names or _generic(k, model):
                continue
            eid, ftype = "new:" + skeleton(surface), _MODEL_TYPES[kind]
        out.append(Candidate(start, end, eid, "model", ftype, surface if ftype else None))
        covered.append((start, end))
    return out


def _known_identity(k: str, kb: KnowledgeBase, etype: str | None = None) -> str | None:
    """The KB identity of a name the model found: its spelling (or its spelling without a proclitic)
    is a KB form, or a name of the open lists too rare in news to link alone (names_tagged.tsv) of
    the tagged type, else its spelling-independent skeleton is the skeleton of one person's form
    only (the same folding that gives new names their ids: ترمب ~ ترامب). Other names, folded,
    collide with ordinary words (الجزيرة ~ الجزائر), so they count only as spelled."""
    for _prefix, stem in split_proclitics(k):
        forms = kb.forms.get(stem)
        if forms:
            return min(forms, key=lambda f: (f.generated, f.context)).entity
        # a nisba as an adverb, with the accusative alef (إيرانيا، فلسطينيا): its state
        nisba = {f.entity for f in kb.forms.get(stem[:-1], ()) if f.kind == NISBA} if stem.endswith("يا") else set()
        if len(nisba) == 1:
            return next(iter(nisba))
    rare = tagged_names()
    for prefix, stem in split_proclitics(k):
        e = rare.get(stem) if prefix in ("", "و") else None  # a rare name's ك or ب may be its own letter
        if e is not None and _same_type(e.type, etype):
            return e.id
    if etype not in (None, "PERSON"):
        return None  # the folded spellings are people's
    folded = {_fold(stem) for _prefix, stem in split_proclitics(k)}
    ids = {e for f in folded for e in _skeleton_index(kb).get(f, ())}
    return next(iter(ids)) if len(ids) == 1 else None


def _same_type(kb_type: str, tagged: str | None) -> bool:
    places = ("GPE", "LOC", "FACILITY")
    return tagged is None or kb_type == tagged or (kb_type in places and tagged in places)


_SKELETONS: dict[int, dict[str, frozenset[str]]] = {}
# Skeletons shorter than this (consonants) are shared by too many words to identify a name.
SKELETON_MIN = 5


def _skeleton_index(kb: KnowledgeBase) -> dict[str, frozenset[str]]:
    """Folded spelling -> entities with a form of that spelling (built once per knowledge base)."""
    if id(kb) not in _SKELETONS:
        index: dict[str, set[str]] = defaultdict(set)
        for k, forms in kb.forms.items():
            folded = _fold(k)
            if len(folded) >= SKELETON_MIN:
                # curated people, and generated ones by a full name (a generated one-word name
                # folds onto too many words)
                index[folded].update(f.entity for f in forms if not f.lil and (not f.generated or " " in k)
                                     and kb.entities[f.entity].type == "PERSON")
        for k, e in tagged_names().items():
            folded = _fold(k)
            if " " in k and len(folded) >= SKELETON_MIN and e.type == "PERSON":
                index[folded].add(e.id)
        _SKELETONS.clear()
        _SKELETONS[id(kb)] = {f: frozenset(ids) for f, ids in index.items()}
    return _SKELETONS[id(kb)]


def _split_coordination(text: str, span: tuple[int, int, str], model) -> list[tuple[int, int, str]]:
    """Split a span at a word that is و + a name (كافاني ولويس سواريز -> كافاني، ولويس سواريز): the
    model sometimes joins coordinated names. Only where the word without و is the commoner one in
    news, so وليد، وائل and unknown names such as ويتانغولا stay whole."""
    start, end, kind = span
    out = []
    for m in re.finditer(r"\s+(\S+)", text[start:end]):
        if _has_proclitic(key(m.group(1)), ("و",), model):
            out.append((start, start + m.start(), kind))
            start = start + m.start(1)
    out.append((start, end, kind))
    return out


def _has_proclitic(word: str, letters: tuple[str, ...], model) -> bool:
    """``word`` (normalised) starts with one of the one-letter proclitics ``letters`` and the rest is
    the commoner word in news (وبوتين: yes; وليد، ويتانغولا: no)."""
    return len(word) >= 4 and word[0] in letters and model.news_rank(word[1:]) < model.news_rank(word)


def _generic(k: str, model) -> bool:
    """Every word frequent in news, or one word that is a common noun (الدولتان)."""
    words = k.split()
    if all(model.news_rank(w) < MODEL_FREQUENT_RANK for w in words):
        return True
    if len(words) == 1:
        nouns, common_ranks = _common_words()
        w = words[0][2:] if words[0].startswith("ال") else words[0]
        return _common_noun(w, nouns, common_ranks) or _common_noun(words[0], nouns, common_ranks)
    return False


def _strip_clitic(text: str, start: int, end: int, model) -> int:
    """Drop a one-letter proclitic (وبوتين -> بوتين) from the span's first word when the rest is the
    commoner word in news (so وليد keeps its و)."""
    first_end = start
    while first_end < end and not text[first_end].isspace():
        first_end += 1
    return start + 1 if _has_proclitic(key(text[start:first_end]), _SINGLE_CLITICS, model) else start


def _feature_hits(doc: Document, hits: list) -> list[tuple[int, int, set[int]]]:
    """KB matches as the NER model's features want them: original offsets and feature groups."""
    from rasd.ner.features import kb_groups

    out = []
    for start, end, _k, forms in hits:
        groups = kb_groups(forms)
        if groups:
            os_, oe = doc.norm.span_to_original(start, end)
            out.append((os_, oe, groups))
    out.sort(key=lambda h: (h[0], h[1]))
    return out


_NER_MODEL: list = []
# KB matches of documents the NER model has already tagged in a batch (``pretag``), keyed by the
# document's text, so the entity stage does not scan them again.
_SCANNED: dict[str, list] = {}
# Model spans computed ahead for a batch of documents (``pretag``), keyed by the document's text.
_PRETAGGED: dict[str, list[tuple[int, int, str]]] = {}
_PRETAGGED_MAX = 5_000


def pretag(docs: list[Document]) -> None:
    """Run the NER model over a batch of documents (and their embedded ones) at once; the entity
    stage then takes each document's spans from here. Only a speed-up: without it, each document
    is tagged alone, with the same result."""
    model = _ner_model()
    if model is None:
        return
    items = [d for doc in docs for d in (doc, *doc.embedded) if d.text]
    kb = knowledge_base()
    scans = [kb_scan(scan_text(d), kb) for d in items]
    found = model.entities_many([(d.text, [(s.start, s.end) for s in d.sentence_spans]) for d in items],
                                [_feature_hits(d, h) for d, h in zip(items, scans, strict=True)])
    if len(_PRETAGGED) + len(items) > _PRETAGGED_MAX:
        _PRETAGGED.clear()
        _SCANNED.clear()
    for d, spans, scan in zip(items, found, scans, strict=True):
        _PRETAGGED[d.text] = spans
        _SCANNED[d.text] = scan


NER_MODES = ("off", "fast", "full")


def use_ner(mode: str) -> None:
    """Choose how the entity stage uses the NER model: "off" (the default: the model is slower than
    the rest of the text path), "fast" (the first network of the shipped ensemble) or "full" (all
    of it). The RASD_NER environment variable sets the same."""
    if mode not in NER_MODES:
        raise ValueError(f"NER mode must be one of {', '.join(NER_MODES)}, not {mode!r}")
    _NER_MODEL.clear()
    _NER_MODEL.append(_load_ner(mode))


def _ner_model():
    if not _NER_MODEL:
        import os

        mode = os.environ.get("RASD_NER", "off").lower()
        _NER_MODEL.append(_load_ner("full" if mode == "on" else mode))
    return _NER_MODEL[0]


def _load_ner(mode: str):
    if mode not in ("fast", "full"):
        return None
    from rasd.ner.model import ModelError, shipped

    try:
        return shipped(1 if mode == "fast" else None)
    except ModelError:
        return None


def skeleton(name: str) -> str:
    """A spelling-independent key for a transliterated name: consonants, g-letters merged."""
    return hashlib.blake2b(_fold(name).encode(), digest_size=6).hexdigest()


def _fold(name: str) -> str:
    k = key(name).replace(" ", "").replace("-", "")
    k = re.sub(r"[غجقك]", "ك", k)
    return k[:1] + re.sub(r"[اويه]", "", k[1:])


def new_name_parts(doc: Document, cands: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """A person the KB does not know, named in full once (منصور أحمد المنصور، بنجامان غريفو) and
    elsewhere by part of the name (المنصور، غريفو), is one person: a shorter new name whose words
    are consecutive words of exactly one longer new person's name, one of them more than a title
    or a name link, joins that person."""
    full: dict[str, tuple[Candidate, list[str]]] = {}
    for c in cands:
        if c.entity.startswith("new:") and c.type == "PERSON" and c.entity not in full:
            words = key(c.name or "").split()
            if len(words) > 1:
                full[c.entity] = (c, words)
    if not full:
        return cands
    not_parts = _not_name_parts()
    out = []
    for c in cands:
        if c.entity.startswith("new:") and c.entity not in full:
            words = key(doc.text[c.start:c.end]).split()
            if words:
                # the first word may carry a proclitic (وغريفو، للمنصور)
                firsts = [st for p, st in split_proclitics(words[0]) if not p or p in _CLITICS_BEFORE_MATCH]
                targets = {eid for eid, (_c, name) in full.items() for first in firsts
                           if len(words) < len(name) and _consecutive([first, *words[1:]], name)
                           and any(len(w) >= 3 and w not in not_parts for w in [first, *words[1:]])}
                if len(targets) == 1:
                    target = full[next(iter(targets))][0]
                    c = Candidate(c.start, c.end, target.entity, c.kind, target.type, target.name)
        out.append(c)
    return out


def _consecutive(part: list[str], name: list[str]) -> bool:
    return any(name[i:i + len(part)] == part for i in range(len(name) - len(part) + 1))


def _tagged_entity(eid: str):
    """An entity of the open lists a model span took its identity from (names_tagged.tsv)."""
    by_id = _TAGGED_BY_ID or _TAGGED_BY_ID.update({e.id: e for e in tagged_names().values()}) or _TAGGED_BY_ID
    return by_id.get(eid)


_TAGGED_BY_ID: dict = {}


def _assemble(doc: Document, cands: list[Candidate], kb: KnowledgeBase) -> tuple[Entity, ...]:
    by_entity: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        by_entity[c.entity].append(c)
    entities = []
    for eid, cs in by_entity.items():
        cs.sort(key=lambda c: c.start)
        mentions = tuple(Mention(c.start, c.end, doc.text[c.start:c.end]) for c in cs)
        e = kb.entities.get(eid) or (_tagged_entity(eid) if cs[0].kind == "model" else None)
        if e is not None:
            entities.append(Entity(eid, e.name, e.name_ar, e.type, e.wikidata, mentions))
        else:
            entities.append(Entity(eid, cs[0].name or mentions[0].text, cs[0].name or mentions[0].text, cs[0].type or "MISC", None, mentions))
    entities.sort(key=lambda e: e.mentions[0].start if e.mentions else len(doc.text))
    return tuple(entities)


def segment_keywords(raw: str, kb: KnowledgeBase) -> list[str]:
    """Split a space-separated keyword line into names the KB knows, longest first; other words alone."""
    words = raw.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + 5), i, -1):
            if key(" ".join(words[i:j])) in kb.forms:
                out.append(" ".join(words[i:j]))
                i = j
                break
        else:
            out.append(words[i])
            i += 1
    return dedupe_keywords(out)


def with_referenced(doc: Document, ids: set[str]) -> Document:
    """Add KB entities that claims or events refer to without a mention of their own (a capital
    standing for its state: "نفت موسكو" -> Russia), so every id in the document resolves."""
    kb = knowledge_base()
    have = {e.id for e in doc.entities}
    extra = [kb.entities[i] for i in sorted(ids - have) if i in kb.entities]
    if not extra:
        return doc
    added = tuple(Entity(e.id, e.name, e.name_ar, e.type, e.wikidata, ()) for e in extra)
    return doc.replace(entities=doc.entities + added)
