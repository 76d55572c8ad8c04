"""`rasd train kb`: the generated part of the knowledge base, grown from open name lists.

Reads ../shared/data/names (ArWikiCats English-title <-> Arabic-title pairs, MIT; Who's On First
Middle East places, CC0 / GeoNames CC BY) and, for telling names from ordinary words, the ANT news
corpus (word counts only) and resources/common_words.tsv. Writes resources/kb/names_generated.tsv,
which the knowledge base loads after the hand-curated files: a curated entity, or a spelling a
curated entity already has, always wins.

What is kept: people, organisations other than sports clubs and leagues, states' cities and regions
(a town qualified by a sub-national region, "alma, arkansas", is left out), seas, islands and other
geography; from Who's On First the governorates and districts written with their admin word
(محافظة صعدة، مديرية أحور) and localities that have a Wikidata id. Each row says how it may link:
``name`` (alone, as any curated name) or ``context`` (only with a title, a place word, a first name
or a full mention nearby, or when the NER model tags the span: one short word, a word the news
writes as an ordinary word, a village name).
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from rasd import resources
from rasd.arabic.normalise import key, normalise_str
from rasd.kb import titles
from rasd.kb.knowledge_base import CONTEXT, LINK_ALONE, curated_names

# One-word names shorter than this (without the article) are left out: as whole words they are rare
# in news and mostly not the place (مين، رين), and as the ends of longer words they are everywhere,
# which costs the automaton; the short names news uses (عدن، دبي) are curated.
MIN_ALONE_LETTERS = 4
# A word written with the article in at least this share of 20+ uses is an ordinary noun
# (the rule of resources/common_words.tsv, applied to the full ANT counts).
ARTICLE_MIN, ARTICLE_SHARE = 20, 0.3
# One-word names the news uses at least this often, and rarely right after a place preposition,
# link only with context (سالم is a first name more often than Salem, Oregon).
FREQUENT_WORD = 50
MAX_WORDS = 5
# Every word of a kept spelling occurs at least this often in the ANT news corpus (41,686 articles):
# the names news uses, not every town of the world.
MIN_NEWS_COUNT = 3

_SPORTS_EN = re.compile(
    r"\b(?:f\.?c\.?|a\.?f\.?c\.?|s\.?c\.?|c\.?f\.?|club|basketball|football|soccer|cricket|rugby|hockey|baseball|"
    r"volleyball|handball|league|cup|open|championships?|olympics|team|racing|athletics|defunct|sports?|"
    r"tennis|golf|cycling|wrestling|boxing|fencing|swimming|grand prix|tour|season|stadium|records?|albums?|"
    r"songs?|films?|novels?|bands?|tv series|video games?|companies|people|players|clubs|teams)\b"
)
_SPORTS_AR = re.compile(r"(?:نادي|دوري|لكره|منتخب|كاس|بطوله|ملعب|فريق|رياضي|لكرة|كأس|بطولة|رياضة)")
_GEO_EN = re.compile(
    r"\b(?:governorate|province|district|county|region|oblast|krai|state|prefecture|municipality|sea|ocean|"
    r"gulf|strait|island|islands|river|lake|mountains?|desert|peninsula|valley|bay|canal)\b"
)
_LOC_NATURAL = re.compile(r"\b(?:sea|ocean|gulf|strait|island|islands|river|lake|mountains?|desert|peninsula|valley|bay|canal)\b")
_ADMIN_AR = ("محافظه ", "مديريه ", "قضاء ", "ناحيه ", "منطقه ", "ولايه ", "اقليم ", "مقاطعه ")
_WORD = re.compile(r"[\u0621-\u064A]{2,}")
_SMALL_EN = frozenset("of the and for in on at de du la le von van der den y e da di".split())


def build(names_dir: Path, ant_dir: Path | None, out: Path) -> dict:
    counts, after_particle, after_place = _ant_counts(ant_dir)
    nouns, frequent = _common_words()
    curated_en, curated_forms, countries_en = curated_names()
    rows: dict[str, dict] = {}
    by_en: dict[str, str] = {}
    by_form: dict[str, str] = {}
    stats: Counter = Counter()
    rare: dict[str, set[tuple[str, str, str]]] = {}  # spellings too rare in news to link alone

    def add(src_id: str, english: str, forms: list[str], etype: str, wikidata: str, country: str, source: str) -> None:
        en = english.strip()
        if not en or en.casefold() in curated_en:
            stats["curated wins"] += 1
            return
        keep = []
        for f in forms:
            qualifier = re.search(r"\(([^)]*)\)", f)
            if qualifier and source == "awc" and key(qualifier.group(1)) not in curated_forms:
                continue  # "نايس (صخر)": a rock, not a place; "(سويسرا)" names a state and stays
            f = re.sub(r"\s*\([^)]*\)\s*", " ", f).strip()
            k = key(f.replace("-", " "))
            if not k or re.search(r"[A-Za-z0-9]", k) or len(k.split()) > MAX_WORDS or k in curated_forms:
                continue
            if not re.fullmatch(r"[\u0621-\u064A ]+", k):
                continue
            generic = (lambda w: _noun(w, nouns, counts)) if etype == "PERSON" or k.startswith(_ADMIN_AR) else \
                (lambda w: _ordinary(w, nouns, frequent, counts) or counts.get(w, 0) >= COMMON_COUNT)
            if len(k.split()) > 1 and all(generic(w) for w in k.split()):
                continue  # a generic phrase (ينابيع حارة، حقوق الإنسان), not a name; names of people and
                # admin units (محافظة صعدة) are made of frequent words and are phrases only if all are nouns
            if counts and min(counts.get(w, 0) for w in k.split()) < MIN_NEWS_COUNT:
                # a word the news never writes: a name news does not use (or not so spelled); kept for
                # the names the NER model finds (names_tagged.tsv), never linked from the text alone
                if source == "awc" and len(k.removeprefix("ال").replace(" ", "")) >= MIN_ALONE_LETTERS \
                        and not (etype == "PERSON" and " " not in k):
                    rare.setdefault(k, set()).add((en, etype, country))
                continue
            if len(k.split()) == 1 and etype == "PERSON":
                continue  # one word of a person links through a full mention (coreference), never alone
            if len(k.split()) == 1 and (len(k.removeprefix("ال")) < MIN_ALONE_LETTERS or _verb_like(k, counts, after_particle)
                                        or (_ordinary(k, nouns, frequent, counts) and not _place_name(k, etype, counts, after_place))
                                        or _common(k, counts, after_place)):
                continue  # two letters, a verb (تودي for تؤدي) or a name that is also an ordinary word (كان، العالم)
            if f not in keep:
                keep.append(f)
        if not keep:
            stats["no usable Arabic"] += 1
            return
        eid = by_en.get(en.casefold())
        if eid is None and source == "wof":
            # The same admin unit under another English spelling (Sa'dah / Saada Governorate): one
            # entity, not two that make each other's spelling ambiguous.
            eid = next((by_form[k] for k in map(_form_key, keep) if k in by_form), None)
        if eid is None:
            eid = _slug(en)
            if eid in rows or eid in curated_en:
                eid = f"{eid}-{src_id.lower()}"
            by_en[en.casefold()] = eid
            rows[eid] = {"type": etype, "wikidata": wikidata, "name": en, "forms": [], "country": country, "source": source}
        r = rows[eid]
        r["wikidata"] = r["wikidata"] or wikidata
        r["forms"] += [f for f in keep if f not in r["forms"]]
        for f in keep:
            by_form.setdefault(_form_key(f), eid)

    with gzip.open(names_dir / "arwikicats_names.tsv.gz", "rt", encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            src_id, english, arabic, kind = (line.rstrip("\n").split("\t") + [""] * 4)[:4]
            mapped = _arwikicats_type(english, arabic, kind, countries_en)
            if mapped is None:
                stats["arwikicats dropped"] += 1
                continue
            etype, country = mapped
            forms = arabic.split("|")
            if len(forms) > 1:  # a state or region with its demonyms: the name only (nisba forms are curated)
                forms = [f for f in forms if not re.search(r"(?:ي|يه|ية|يون|يين|يات)$", key(f))] or forms[:1]
            add(src_id, _title_case(english), forms, etype, "", country, "awc")
    with gzip.open(names_dir / "wof_middle_east_places.tsv.gz", "rt", encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            src_id, english, arabic, kind = (line.rstrip("\n").split("\t") + [""] * 4)[:4]
            placetype, _, cc = kind.partition(":")
            country = _WOF_COUNTRIES.get(cc, "")
            forms = [a for a in arabic.split("|") if re.search(r"[\u0621-\u064A]", a)]
            wd = src_id if src_id.startswith("Q") else ""
            if placetype in ("region", "county"):
                admin = [f for f in forms if key(f).startswith(_ADMIN_AR)]
                if admin:
                    add(src_id, _plain(_wof_english(english, key(admin[0]))), admin, "GPE", wd, country, "wof")
            elif placetype == "locality" and wd:
                add(src_id, _plain(_wof_english(english)), forms, "GPE", wd, country, "wof")

    # How each entry may link: by its own name alone, or only with context.
    owners: dict[str, set[str]] = defaultdict(set)
    for eid, r in rows.items():
        for f in r["forms"]:
            owners[key(f.replace("-", " "))].add(eid)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        fh.write(_HEADER)
        for eid in sorted(rows):
            r = rows[eid]
            link = []
            for f in r["forms"]:
                k = key(f.replace("-", " "))
                # A spelling that carries its own admin word (محافظة صعدة، مديرية السوادية) is its
                # context, whichever list it comes from.
                alone = ((r["source"] == "awc" or k.startswith(_ADMIN_AR)) and len(owners[k]) == 1
                         and not _needs_context(k, r["type"], nouns, frequent, counts, after_place))
                link.append(LINK_ALONE if alone else CONTEXT)
            stats[f"{r['source']} {r['type']}"] += 1
            fh.write("\t".join([eid, r["type"], r["wikidata"], r["name"], "|".join(r["forms"]),
                                "|".join(link), r["country"], r["source"]]) + "\n")
    tagged = _write_tagged(out.with_name(TAGGED_NAME), rare, owners, curated_forms, curated_en, by_en)
    return {"entities": len(rows), "forms": sum(len(r["forms"]) for r in rows.values()),
            "bytes": out.stat().st_size, "out": str(out), "tagged forms": tagged, **dict(sorted(stats.items()))}


TAGGED_NAME = "names_tagged.tsv"


def _write_tagged(path: Path, rare: dict, owners: dict, curated_forms: set[str], curated_en: set[str],
                  by_en: dict[str, str]) -> int:
    """The names too rare in the news to link from the text alone (أديلايد، عجلون), for spans the
    NER model tags: one English name per spelling, none that another entry already has."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write(_TAGGED_HEADER)
        for k in sorted(rare):
            names = {(en.casefold(), t, c) for en, t, c in rare[k]}
            if len(names) != 1 or k in owners or k in curated_forms:
                continue
            en, etype, country = next(iter(rare[k]))
            if en.casefold() in curated_en:
                continue
            eid = by_en.get(en.casefold()) or _slug(en)
            fh.write("\t".join([k, eid, etype, en, country]) + "\n")
            n += 1
    return n


_TAGGED_HEADER = """\
# GENERATED by `rasd train kb` with names_generated.tsv (same sources and licences): spellings of
# ArWikiCats names (Who's On First villages are too ambiguous) whose words the ANT news corpus writes fewer than 3 times.
# They never link from the text alone; a span the NER model tags takes their identity.
# Columns: form (normalised)	id	type	name_en	country
"""


_HEADER = """\
# GENERATED by `rasd train kb` from ../shared/data/names; do not edit (hand-curated entities go in
# entities.tsv / countries.tsv, which always win over these rows).
# Sources and licences:
#  - ArWikiCats 0.2.3 (MIT, (c) Ibrahim Qasim): English Wikipedia titles and their Arabic Wikipedia
#    titles; the names themselves are Wikipedia article titles (Wikipedia contributors, CC BY-SA).
#  - Data from Who's On First (https://whosonfirst.org/docs/licenses/), including GeoNames (CC BY 4.0)
#    and Yahoo! GeoPlanet (CC BY 3.0 US): Middle East governorates, districts and localities.
#  - ANT corpus word counts (Chouigui et al., AICCSA 2017; Apache-2.0) only to tell names from
#    ordinary words; no text is kept.
# Columns: id	type	wikidata	name_en	forms_ar (| separated)	link (one per form: name = links alone,
#   context = only with a title, place word, first name, full mention nearby or an NER span)	country	source (awc|wof)
"""


def _arwikicats_type(english: str, arabic: str, kind: str, countries_en: dict[str, str]) -> tuple[str, str] | None:
    en = english.casefold()
    ar = key(arabic)
    country = ""
    if "," in en:
        head, _, qual = en.rpartition(",")
        country = countries_en.get(qual.strip(), "")
        if not country:
            return None  # a town qualified by a region or state: not news geography
    if kind == "PER":
        return ("PERSON", country) if not _SPORTS_EN.search(en) else None
    if kind == "ORG":
        if _SPORTS_EN.search(en) or _SPORTS_AR.search(ar):
            return None
        return "ORG", country
    if kind == "LOC":
        return ("LOC" if _LOC_NATURAL.search(en) else "GPE"), country
    if kind == "MISC" and _GEO_EN.search(en) and not _SPORTS_EN.search(en):
        return ("LOC" if _LOC_NATURAL.search(en) else "GPE"), country
    return None


def _form_key(form: str) -> str:
    return key(form.replace("-", " "))


def _noun(word: str, nouns: frozenset[str], counts: Counter) -> bool:
    """A word the news writes with the article (a common noun or adjective), or that article form."""
    bare = word[2:] if word.startswith("ال") and len(word) > 4 else word
    with_al = counts.get("ال" + bare, 0)
    return bare in nouns or (with_al >= ARTICLE_MIN and with_al >= ARTICLE_SHARE * (with_al + counts.get(bare, 0)))


def _ordinary(word: str, nouns: frozenset[str], frequent: frozenset[str], counts: Counter) -> bool:
    """A word the news uses as an ordinary word: a common noun, or a very frequent word."""
    bare = word[2:] if word.startswith("ال") and len(word) > 4 else word
    if bare in nouns or word in frequent or bare in frequent:
        return True
    with_al = counts.get("ال" + bare, 0)
    return with_al >= ARTICLE_MIN and with_al >= ARTICLE_SHARE * (with_al + counts.get(bare, 0))


def _place_name(w: str, etype: str, counts: Counter, after_place: Counter) -> bool:
    """A frequent word that is a place's name all the same: the news writes it without the article
    and often right after a place preposition (في اسطنبول، في نيويورك), as it writes no ordinary
    word but months (في مايو), which are not places."""
    n = counts.get(w, 0)
    if etype not in ("GPE", "LOC") or w.startswith("ال") or not n or w in _time_words():
        return False
    with_al = counts.get("ال" + w, 0)
    return with_al < NAME_ARTICLE_SHARE * (n + with_al) and after_place.get(w, 0) >= FREQUENT_PLACE_SHARE * n


# Share of a frequent word's uses right after a place preposition from which it is a place name.
FREQUENT_PLACE_SHARE = 0.25


@lru_cache(maxsize=1)
def _time_words() -> frozenset[str]:
    """Month and weekday names (resources/months.tsv, weekdays.tsv): written after في like places."""
    out = set()
    for name in ("months.tsv", "weekdays.tsv"):
        for _n, names in resources.read_tsv(name, 2):
            out |= {key(x.lstrip("~")) for x in names.split("|")}
    return frozenset(out)


def _common(w: str, counts: Counter, after_place: Counter) -> bool:
    """A word the news uses very often and rarely writes right after a place preposition (في دبي is
    common, في تزامن is not), or often writes with the article: an ordinary word."""
    n = counts.get(w, 0)
    with_al = counts.get("ال" + w, 0)
    if not w.startswith("ال") and with_al >= 5 and with_al >= NAME_ARTICLE_SHARE * (n + with_al):
        return True
    return n >= COMMON_COUNT and (w.startswith("ال") or after_place.get(w, 0) < PLACE_SHARE * n)


def _needs_context(k: str, etype: str, nouns, frequent, counts: Counter, after_place: Counter) -> bool:
    words = k.split()
    if len(words) > 1:
        return False
    if etype == "PERSON":
        return True  # one word of a person: linked from a full mention (coreference) or a title
    w = words[0]
    bare = w[2:] if w.startswith("ال") else w
    if len(bare) < MIN_ALONE_LETTERS or (_ordinary(w, nouns, frequent, counts) and not _place_name(w, etype, counts, after_place)):
        return True
    # A word the news uses often is a name only if it is often written right after a place
    # preposition without the article (في دبي), as names are and ordinary words are not (تزامن).
    n = counts.get(w, 0)
    with_al = counts.get("ال" + w, 0)
    if not w.startswith("ال") and with_al >= 5 and with_al >= NAME_ARTICLE_SHARE * (n + with_al):
        return True  # names almost never take the article (دبي); ordinary words do (التزامن)
    if n >= FREQUENT_WORD and (w.startswith("ال") or after_place.get(w, 0) < PLACE_SHARE * n):
        return True
    # A word the news writes often enough to tell and (almost) never right after في is no place the
    # news names: a surname (فرانكلين، ويلسون، بوتي), a verb (انتجت), a noun (البندقية).
    return etype in ("GPE", "LOC") and n >= PLACE_EVIDENCE and after_place.get(w, 0) < NEVER_PLACE_SHARE * n


# Uses from which a one-word place name's share after في says something, and the share below which
# the news does not write it as a place.
PLACE_EVIDENCE, NEVER_PLACE_SHARE = 20, 0.03


def _ant_counts(ant_dir: Path | None) -> tuple[Counter, Counter, Counter]:
    """Word counts of the ANT corpus, and how often each word follows a verb particle (لم، لن، قد ...,
    resources/name_context.tsv "verb_particle"): a word that often does is a verb, not a name."""
    counts: Counter = Counter()
    after: Counter = Counter()
    paths = sorted(Path(ant_dir).glob("*.jsonl.gz")) if ant_dir else []
    particles, places = titles.words("verb_particle"), titles.words("place_preposition")
    at_place: Counter = Counter()
    for p in paths:
        with gzip.open(p, "rt", encoding="utf-8") as fh:
            for line in fh:
                words = _WORD.findall(normalise_str(json.loads(line).get("text") or ""))
                counts.update(words)
                after.update(w for prev, w in zip(words, words[1:], strict=False) if prev in particles)
                at_place.update(w for prev, w in zip(words, words[1:], strict=False) if prev in places)
    return counts, after, at_place


# Share of a word's uses after a verb particle above which it is a verb; share after a place
# preposition below which a frequent word is an ordinary word; a count above which a word is common.
VERB_SHARE, PLACE_SHARE, COMMON_COUNT = 0.05, 0.1, 1000
# Share of uses with the article above which a one-word name is also an ordinary word.
NAME_ARTICLE_SHARE = 0.02


def _verb_like(word: str, counts: Counter, after: Counter) -> bool:
    n = counts.get(word, 0)
    return n >= 10 and after.get(word, 0) >= VERB_SHARE * n


def _common_words() -> tuple[frozenset[str], frozenset[str]]:
    nouns, frequent = set(), set()
    for w, kind, _rank in resources.read_tsv("common_words.tsv", 3):
        (nouns if kind == "noun" else frequent).add(w)
    for (w,) in resources.read_tsv("function_words.tsv", 1):
        frequent.add(key(w))
    return frozenset(nouns), frozenset(frequent)


def _title_case(english: str) -> str:
    words = _plain(english).split(" ")
    out = []
    for i, w in enumerate(words):
        if i and w in _SMALL_EN:
            out.append(w)
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in w.split("-")))
    return " ".join(out)


def _plain(english: str) -> str:
    """Without transliteration marks, which Wikipedia titles do not use (jīzān -> jizan)."""
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", english)
                                                if unicodedata.category(c) != "Mn"))


def _wof_english(english: str, admin_ar: str = "") -> str:
    """A WOF English name as a title: its wk:page is a URL path (Douma%2C_Lebanon -> Douma, Lebanon)."""
    en = unquote(english).replace("_", " ").replace("`", "'")
    if admin_ar.startswith("محافظه") and "governorate" not in en.casefold():
        return en + " Governorate"
    if admin_ar.startswith("مديريه") and "district" not in en.casefold():
        return en + " District"
    return en


def _slug(name: str) -> str:
    return re.sub(r"-+", "-", "".join(c if c.isalnum() else "-" for c in name.casefold())).strip("-")


_WOF_COUNTRIES = {"YE": "yemen", "SY": "syria", "IQ": "iraq", "LB": "lebanon", "SA": "saudi-arabia"}
