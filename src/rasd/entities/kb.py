"""The knowledge base: canonical identities and every surface form that names them.

Loaded once from resources/kb/*.tsv. Surface forms are generated from what the files list:
transliteration variants (غ/ج for g), joined multi-word names (بيونغيانغ), nisba adjectives in all
their forms (الروسي، الروسية، الروس، روسيين) and the article/ل+ال contraction (للولايات).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from rasd import resources
from rasd.arabic.normalise import NORMALISER_VERSION, key

KB_VERSION = f"kb/1+{NORMALISER_VERSION}"
# Form kinds, in order of how much a match of that kind alone can be trusted.
NAME, ALIAS, NISBA, SURNAME = "name", "alias", "nisba", "surname"


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
    automaton: ahocorasick.Automaton | None = None

    def add_form(self, surface: str, entity: str, kind: str) -> None:
        base = key(surface.replace("-", " "))
        if not base:
            return
        for variant in _variants(base, self.entities[entity]):
            self._put(variant, Form(entity, kind))
            if variant.startswith("ال") and len(variant) > 4:
                self._put("ل" + variant[2:], Form(entity, kind, lil=True))

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


def _variants(base: str, entity: KBEntity) -> set[str]:
    """Transliteration variants of a foreign name: غ/ج/ق/ك for g, and multi-word names written as one."""
    out = {base}
    foreign = entity.type != "ORG" and (entity.country or entity.id) not in arab_states()
    if not foreign:
        return out
    # Only letters that already spell a g (غ or ج) vary; a ك or ق in a name is usually a k or q.
    positions = [i for i, c in enumerate(base) if c in "غج"][:3]
    for combo in itertools.product("غجقك", repeat=len(positions)):
        chars = list(base)
        for pos, c in zip(positions, combo, strict=True):
            chars[pos] = c
        out.add("".join(chars))
    words = base.split(" ")
    if 1 < len(words) <= 3 and entity.type in ("GPE", "LOC", "FACILITY") and not base.startswith("ال"):
        out |= {v.replace(" ", "") for v in list(out)}
    return out


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


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    kb = KnowledgeBase()
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
            for form in nisba_forms(stem):
                kb.add_form(form, cid, NISBA)
        for plural in filter(None, plurals.split("|")):
            kb.add_form(plural, cid, NISBA)
        if cap_en:
            for alias in [cap_ar, *filter(None, cap_aliases.split("|"))]:
                kb.add_form(alias, _capital_id(cap_en), NAME)
    for country, role, holder, start, end in resources.read_tsv(resources.path("kb/offices.tsv"), 5):
        kb.offices.append(Office(country, role, holder, dt.date.fromisoformat(start), dt.date.fromisoformat(end) if end else None))
    for role, titles, fallback in resources.read_tsv(resources.path("kb/roles.tsv"), 3):
        for title in titles.split("|"):
            kb.roles[key(title)] = role
        if fallback:
            kb.role_fallback[role] = fallback
    kb.not_names = frozenset(key(w) for w, *_ in resources.read_tsv(resources.path("kb/not_names.tsv"), 2))
    kb.build()
    return kb


def _capital_id(name_en: str) -> str:
    return "city-" + "".join(c if c.isalnum() else "-" for c in name_en.lower()).strip("-").replace("--", "-")
