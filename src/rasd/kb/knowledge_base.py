"""The knowledge base: canonical identities and every surface form that names them.

Loaded once from resources/kb/*.tsv. Surface forms are generated from what the files list:
transliteration variants (غ/ج for g), joined multi-word names (بيونغيانغ), nisba adjectives in all
their forms (الروسي، الروسية، الروس، روسيين) and the article/ل+ال contraction (للولايات).

The hand-curated files (countries.tsv, entities.tsv) come first; names_generated.tsv (built by
``rasd train kb`` from open name lists) adds what they lack and never overrides them: an entity
they name, or a spelling they give, stays theirs. A generated spelling marked ``context`` (one
short word, an ordinary word, a village) links only where the document supports it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from rasd import resources
from rasd.arabic.normalise import NORMALISER_VERSION, key
from rasd.kb.titles import office_titles
from rasd.kb.titles import words as context_words


def _kb_digest() -> str:
    """A digest of every knowledge-base file, so that the version stored with a database changes
    whenever the knowledge base does (curated or generated)."""
    h = hashlib.blake2b(digest_size=6)
    for p in sorted(resources.path("kb").glob("*.tsv")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


KB_VERSION = f"kb/2-{_kb_digest()}+{NORMALISER_VERSION}"
# Form kinds, in order of how much a match of that kind alone can be trusted.
NAME, ALIAS, NISBA, SURNAME = "name", "alias", "nisba", "surname"
# How a generated spelling may link (names_generated.tsv, column "link").
LINK_ALONE, CONTEXT = "name", "context"
GENERATED_FILE = "kb/names_generated.tsv"


@dataclass(frozen=True, slots=True)
class KBEntity:
    id: str
    type: str
    name: str
    name_ar: str
    wikidata: str | None
    country: str | None = None  # the state it belongs to, for context and titles
    capital_of: str | None = None  # set for capitals, which stand for their state ("نفت موسكو")


@dataclass(frozen=True, slots=True)
class Form:
    entity: str
    kind: str
    lil: bool = False  # the ل+ال contraction: valid only after ل / ول / فل
    context: bool = False  # links only with support in the document (a generated short or common word)
    generated: bool = False  # from names_generated.tsv


@dataclass(frozen=True, slots=True)
class Office:
    country: str
    role: str
    holder: str
    start: dt.date
    end: dt.date | None


@dataclass
class KnowledgeBase:
    entities: dict[str, KBEntity] = field(default_factory=dict)
    forms: dict[str, list[Form]] = field(default_factory=lambda: defaultdict(list))
    offices: list[Office] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)  # normalised title -> role
    role_fallback: dict[str, str] = field(default_factory=dict)
    not_names: frozenset[str] = frozenset()
    ministries: dict[tuple[str, str], str] = field(default_factory=dict)  # (portfolio key, state) -> ministry
    short_forms: set[str] = field(default_factory=set)  # a ministry without وزارة (الخارجية الأمريكية)
    armies: dict[str, str] = field(default_factory=dict)  # state -> its army (the entity of "الجيش <nisba>")
    automaton: ahocorasick.Automaton | None = None

    def add_form(self, surface: str, entity: str, kind: str, context: bool = False, generated: bool = False) -> None:
        base = key(surface.replace("-", " "))
        if not base:
            return
        variants = {base} if generated else _variants(base, self.entities[entity], kind == NISBA)
        for variant in variants:
            if generated and any(not f.generated for f in self.forms.get(variant, ())):
                continue  # a curated spelling stays the curated entity's
            self._put(variant, Form(entity, kind, False, context, generated))
            if variant.startswith("ال") and len(variant) > 4:
                self._put("ل" + variant[2:], Form(entity, kind, True, context, generated))

    def _put(self, k: str, form: Form) -> None:
        existing = self.forms[k]
        if not any(f.entity == form.entity and f.lil == form.lil for f in existing):
            existing.append(form)

    def stands_for(self, entity: str) -> str:
        """The state a capital stands for as an actor ("نفت موسكو" -> Russia); any other entity itself."""
        e = self.entities.get(entity)
        return e.capital_of if e is not None and e.capital_of else entity

    def holder(self, country: str, role: str, on: dt.date) -> str | None:
        for r in (role, self.role_fallback.get(role)):
            if not r:
                continue
            for o in self.offices:
                if o.country == country and o.role == r and o.start <= on and (o.end is None or on < o.end):
                    return o.holder
        return None

    def build(self) -> None:
        a = ahocorasick.Automaton()
        for k, forms in self.forms.items():
            a.add_word(k, (k, tuple(forms)))
        a.make_automaton()
        self.automaton = a


def _variants(base: str, entity: KBEntity, nisba: bool = False) -> set[str]:
    """Transliteration variants of a foreign name: غ/ج/ق/ك for g, and multi-word names written as one.
    A nisba is an Arabic word built on the name and varies only غ/ج: with ق or ك it is another word
    or a place (قانية is not غانية, Ghanaian)."""
    out = {base}
    foreign = entity.type != "ORG" and (entity.country or entity.id) not in arab_states()
    if not foreign:
        return out
    # Only letters that already spell a g (غ or ج) vary; a ك or ق in a name is usually a k or q.
    positions = [i for i, c in enumerate(base) if c in "غج"][:3]
    for combo in itertools.product("غج" if nisba else "غجقك", repeat=len(positions)):
        chars = list(base)
        for pos, c in zip(positions, combo, strict=True):
            chars[pos] = c
        out.add("".join(chars))
    words = base.split(" ")
    if 1 < len(words) <= 3 and entity.type in ("GPE", "LOC", "FACILITY") and not base.startswith("ال"):
        out |= {v.replace(" ", "") for v in list(out)}
    # A variant that is a word of the news (المقر "the headquarters" for المجر, Hungary) is that word.
    common = common_words()
    return {v for v in out if v == base or (v not in common and v.removeprefix("ال") not in common)}


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The news' common nouns and most frequent words (resources/common_words.tsv, normalised)."""
    return frozenset(w for w, _kind, _rank in resources.read_tsv("common_words.tsv", 3))


@lru_cache(maxsize=1)
def arab_states() -> frozenset[str]:
    """States whose names are Arabic words, not transliterations: no transliteration variants for them."""
    return frozenset(row[0] for row in resources.read_tsv(resources.path("kb/arab_states.tsv"), 1))


def nisba_forms(stem: str) -> list[str]:
    """All forms of a (possibly two-word) nisba adjective: كوري شمالي -> الكورية الشمالية, ..."""
    words = key(stem).split()
    forms = []
    for suffix in ("", "ه", "ون", "ين", "ات", "يه", "يون", "يين"):
        if suffix in ("يه", "يون", "يين") and not words[-1].endswith("ي"):
            continue
        inflected = [w + suffix if suffix in ("", "ه", "ون", "ين", "ات") else w[:-1] + suffix for w in words]
        forms.append(" ".join(inflected))
        forms.append(" ".join("ال" + w for w in inflected))
    return forms


def nisba_more_forms(stem: str, not_names: frozenset[str] = frozenset()) -> list[str]:
    """The nisba's dual forms (الأمريكيان، الروسيتين) and its indefinite accusative, the adverb
    (إيرانيا، سعوديا: "as an Iranian", "Saudi-wise"); not the adverb of a stem that is an ordinary
    word too (مالي: ماليا is "financially")."""
    words = key(stem).split()
    forms = []
    for suffix in ("ان", "تان", "تين"):
        inflected = [w + suffix for w in words]
        forms += [" ".join(inflected), " ".join("ال" + w for w in inflected)]
    if words[-1] not in not_names and len(words) == 1:
        forms.append(words[0] + "ا")
    return forms


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The knowledge base, read from its cache file (``rasd.kb.cache``; built and written first
    when missing or out of date)."""
    from rasd.kb.cache import load_knowledge_base

    return load_knowledge_base()


def build_knowledge_base() -> KnowledgeBase:
    kb = KnowledgeBase()
    kb.not_names = frozenset(key(w) for w, *_ in resources.read_tsv(resources.path("kb/not_names.tsv"), 2))
    countries = list(resources.read_tsv(resources.path("kb/countries.tsv"), 11))
    for cid, wd, name, name_ar, *_rest in countries:
        kb.entities[cid] = KBEntity(cid, "GPE", name, name_ar, wd or None, cid)
    for cid, _wd, _name, _ar, _aliases, _nisba, _pl, cap_en, cap_ar, _cap_aliases, cap_wd in countries:
        if cap_en:
            kb.entities[_capital_id(cap_en)] = KBEntity(_capital_id(cap_en), "GPE", cap_en, cap_ar, cap_wd or None, cid, cid)
    for eid, etype, wd, name, name_ar, aliases, country in resources.read_tsv(resources.path("kb/entities.tsv"), 7):
        kb.entities[eid] = KBEntity(eid, etype, name, name_ar, wd or None, country or None)
        kb.add_form(name_ar, eid, NAME)
        for alias in filter(None, aliases.split("|")):
            kind = SURNAME if etype == "PERSON" and len(alias.split()) == 1 else ALIAS
            kb.add_form(alias, eid, kind)
    for cid, _wd, _name, name_ar, aliases, nisba, plurals, cap_en, cap_ar, cap_aliases, _cwd in countries:
        kb.add_form(name_ar, cid, NAME)
        for alias in filter(None, aliases.split("|")):
            kb.add_form(alias, cid, ALIAS)
        for stem in filter(None, nisba.split("|")):
            for form in nisba_forms(stem) + nisba_more_forms(stem, kb.not_names):
                kb.add_form(form, cid, NISBA)
        for plural in filter(None, plurals.split("|")):
            kb.add_form(plural, cid, NISBA)
        if cap_en:
            for alias in [cap_ar, *filter(None, cap_aliases.split("|"))]:
                kb.add_form(alias, _capital_id(cap_en), NAME)
            # "the Saudi capital" names the capital (العاصمة السعودية، العاصمة الإندونيسية)
            for stem in filter(None, nisba.split("|")):
                kb.add_form("العاصمة " + nisba_forms(stem)[3], _capital_id(cap_en), ALIAS)
    _add_ministries(kb, countries)
    _add_armies(kb, countries)
    _add_state_bodies(kb, countries)
    for country, role, holder, start, end in resources.read_tsv(resources.path("kb/offices.tsv"), 5):
        kb.offices.append(Office(country, role, holder, dt.date.fromisoformat(start), dt.date.fromisoformat(end) if end else None))
    kb.roles = dict(office_titles())
    for role, _titles, fallback in resources.read_tsv(resources.path("kb/roles.tsv"), 3):
        if fallback:
            kb.role_fallback[role] = fallback
    load_generated(kb, resources.path(GENERATED_FILE))
    kb.build()
    return kb


def _add_ministries(kb: KnowledgeBase, countries: list) -> None:
    """Every state's ministries by portfolio (resources/kb/ministries.tsv): وزارة الداخلية اليمنية is
    Ministry of Interior (Yemen). A spelling a curated entity already has stays the curated one's, and
    that entity is the state's ministry of that portfolio (state-department for the United States).
    Portfolios marked ``short`` also name the ministry without وزارة (الخارجية الأمريكية).
    ``kb.ministries`` maps (portfolio key, state) to the ministry, for a ministry named without its
    state (وزارة المالية in news on one state)."""
    portfolios = list(resources.read_tsv(resources.path("kb/ministries.tsv"), 3))
    for cid, _wd, name, name_ar, _aliases, nisba, *_rest in countries:
        stems = [s for s in nisba.split("|") if s]
        for ar, en, short in portfolios:
            forms, curated = [], set()
            for p in ar.split("|"):
                stated = [f"{p} {nisba_forms(stem)[3]}" for stem in stems]  # the definite feminine
                forms += [f"وزارة {x}" for x in stated] + [f"وزارة {p} في {name_ar}"]
                if short == "short":
                    forms += stated
            for f in forms:
                curated |= {x.entity for x in kb.forms.get(key(f), ()) if kb.entities[x.entity].type == "ORG"}
            fresh = [f for f in forms if key(f) not in kb.forms]
            if len(curated) == 1:
                eid = next(iter(curated))
            elif fresh:
                eid = f"ministry-{_capital_id(en).removeprefix('city-')}-{cid}"
                # Wikipedia qualifies a ministry by the state's short name: (Palestine), not (State of Palestine)
                kb.entities[eid] = KBEntity(eid, "ORG", f"Ministry of {en} ({name.removeprefix('State of ')})", fresh[0], None, cid)
            else:
                continue
            for f in fresh:
                kb.add_form(f, eid, NAME)
            # the spellings without وزارة, the ministry's own (a curated one's too): an adjective
            # after a definite noun is not the ministry (stage: السياسة الخارجية الأمريكية)
            kb.short_forms.update(k for k in map(key, forms) if not k.startswith("وزاره ")
                                  and any(x.entity == eid for x in kb.forms.get(k, ())))
            for p in ar.split("|"):
                kb.ministries[(key(p), cid)] = eid


def _add_armies(kb: KnowledgeBase, countries: list) -> None:
    """Each state's army: the organisation named "الجيش" and the state's nisba (الجيش المصري is
    Egyptian Army), for the army named without its state (الجيش, قوات الجيش)."""
    for cid, _wd, _name, _ar, _aliases, nisba, *_rest in countries:
        for stem in filter(None, nisba.split("|")):
            ids = {f.entity for f in kb.forms.get(key("الجيش " + nisba_forms(stem)[1]), ())
                   if kb.entities[f.entity].type == "ORG"}
            if len(ids) == 1:
                kb.armies[cid] = next(iter(ids))
                break


def _add_state_bodies(kb: KnowledgeBase, countries: list) -> None:
    """Every state's parliament and the like (resources/kb/state_bodies.tsv): البرلمان المصري is
    Parliament of Egypt. Spellings a curated entity already has stay the curated one's."""
    bodies = list(resources.read_tsv(resources.path("kb/state_bodies.tsv"), 3))
    for cid, _wd, name, name_ar, _aliases, nisba, *_rest in countries:
        stems = [s for s in nisba.split("|") if s]
        for nouns, gender, en in bodies:
            forms = []
            for noun in nouns.split("|"):
                if noun.split()[-1].startswith("ال"):  # definite (البرلمان، مجلس النواب): a nisba agrees
                    forms += [f"{noun} {nisba_forms(stem)[3 if gender == 'f' else 1]}" for stem in stems]
                    forms.append(f"{noun} في {name_ar}")
                else:
                    forms.append(f"{noun} {name_ar}")
            fresh = [f for f in forms if key(f) not in kb.forms]
            if not fresh:
                continue
            eid = f"{_capital_id(en.replace('{state}', '')).removeprefix('city-')}-{cid}"
            kb.entities[eid] = KBEntity(eid, "ORG", en.replace("{state}", name.removeprefix("State of ")), fresh[0], None, cid)
            for f in fresh:
                kb.add_form(f, eid, NAME)


GENERATED_COLUMNS = ("id", "type", "wikidata", "name_en", "forms_ar", "link", "country", "source")


def load_generated(kb: KnowledgeBase, path) -> None:
    """Add the generated entries (names_generated.tsv) that the curated files do not already have."""
    if not path.exists():
        return
    curated = {e.name.casefold() for e in kb.entities.values()}
    rows = [r for r in resources.read_tsv(path, len(GENERATED_COLUMNS)) if r[0] not in kb.entities and r[3].casefold() not in curated]
    # One word that is also part of a curated person's name (أوستن: Lloyd Austin or Austin, Texas)
    # needs context.
    admin = admin_words()
    bare_regions: dict[str, set[str]] = defaultdict(set)
    person_words = {w for k, forms in kb.forms.items() for w in k.split() if any(kb.entities[f.entity].type == "PERSON" for f in forms)}
    for eid, etype, wd, name, forms, links, country, _source in rows:
        kb.entities[eid] = KBEntity(eid, etype, name, forms.split("|")[0], wd or None, country or None)
        for form, link in zip(forms.split("|"), links.split("|"), strict=True):
            k = key(form.replace("-", " "))
            needs = link == CONTEXT or (etype != "PERSON" and " " not in k and k.removeprefix("ال") in person_words)
            kb.add_form(form, eid, NAME, context=needs, generated=True)
            first, _sp, bare = k.partition(" ")
            if first in admin and " " in bare and bare not in kb.forms:
                bare_regions[bare].add(eid)
    # A region's name of two or more words without its admin word (ريف دمشق for محافظة ريف دمشق) is
    # still that region's when no other entity has it and one of its words is a known name (دمشق):
    # a region named by ordinary words (منطقة الساحل الغربي) needs its admin word.
    for bare, ids in bare_regions.items():
        if len(ids) == 1 and any(w in kb.forms for w in bare.split()):
            kb.add_form(bare, next(iter(ids)), NAME, generated=True)


TAGGED_FILE = "kb/names_tagged.tsv"


@lru_cache(maxsize=1)
def tagged_names() -> dict[str, KBEntity]:
    """Spellings too rare in the news to link from the text (names_tagged.tsv, ``rasd train kb``) ->
    the entity they name (a KB entity, or one of the lists'), for the spans the NER model tags. Read
    only when the model runs; neither their spellings nor their entities enter the knowledge base."""
    kb = knowledge_base()
    path = resources.path(TAGGED_FILE)
    out: dict[str, KBEntity] = {}
    if not path.exists():
        return out
    for form, eid, etype, name, country in resources.read_tsv(path, 5):
        if form not in kb.forms:
            out[form] = kb.entities.get(eid) or KBEntity(eid, etype, name, form, None, country or None)
    return out


def admin_words() -> frozenset[str]:
    """The words of administrative regions (محافظة، منطقة ...; resources/name_context.tsv "admin")."""
    return context_words("admin")


def curated_names() -> tuple[set[str], set[str], dict[str, str]]:
    """What the hand-curated files already know, for the generator: English names (casefolded) and
    ids, Arabic form keys, and country ids by English name."""
    countries = list(resources.read_tsv(resources.path("kb/countries.tsv"), 11))
    en: set[str] = set()
    for cid, _wd, name, *_r, cap_en, _cap_ar, _cap_al, _cap_wd in countries:
        en |= {name.casefold(), cid}
        if cap_en:
            en |= {cap_en.casefold(), _capital_id(cap_en)}
    for eid, _t, _wd, name, *_r in resources.read_tsv(resources.path("kb/entities.tsv"), 7):
        en |= {name.casefold(), eid}
    kb = knowledge_base()
    forms = {k for k, fs in kb.forms.items() if any(not f.generated for f in fs)}
    return en, forms, {name.casefold(): cid for cid, _wd, name, *_ in countries}


def _capital_id(name_en: str) -> str:
    return "city-" + "".join(c if c.isalnum() else "-" for c in name_en.lower()).strip("-").replace("--", "-")
