"""`rasd train triggers`: PLOVER triggers mined from UniversalPetrarch's Arabic verb dictionary.

UniversalPetrarch (MIT, Open Event Data Alliance) codes Arabic verbs with CAMEO codes: a verb lemma
alone (طرد [120]) or a verb with the object that gives it its sense ("- * مظاهرة [141] # نظم":
organising a demonstration is a protest). Its lemmas are bare (اتهم، ندد+ب) and Rasd reads surface
text, so each lemma is expanded to the forms a news sentence writes (past اتهم/اتهمت/اتهموا, present
يتهم/تتهم) and a form is kept only when the ANT corpus writes it often enough; the CAMEO code becomes
a PLOVER type and mode through the official CAMEO→PLOVER table. A verb coded with an object keeps the
object as the trigger's required word (within 8 words, as in event_triggers.tsv).

The result, resources/event_triggers_mined.tsv, is a trigger table in event_triggers.tsv's format with
the lemma and CAMEO code of each row in a comment above it, read after the written table (a form the
written table already has is not mined again). Words that are too polysemous to stand for an event
(وضع، قدم، وقع ...) are kept out by resources/event_triggers_unmined.tsv, which a user can extend.
Only counts of the corpus are used; no article text is kept.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

from rasd import resources
from rasd.arabic.normalise import key, normalise_str

# The PLOVER types mined by default: those the written table finds least often on unseen news.
TYPES = ("REQUEST", "ACCUSE", "SUPPORT", "ASSAULT", "COOPERATE", "THREATEN", "RETREAT", "REJECT", "COERCE",
         "PROTEST", "CONCEDE", "SANCTION")
MAJORITY = 0.6  # the share of a lemma's codes that must give one PLOVER type
MIN_COUNT = 20  # a surface form the corpus writes at least this often (with or without و/ف)
_WORD = re.compile(r"[\u0621-\u064A]{2,}")
_CODE = re.compile(r"\[(\d+)\]")
_DIACRITICS = re.compile(r"[\u064B-\u0652\u0670]")
_PREPOSITIONS = frozenset({"ل", "الى", "في", "من", "على", "ب", "عن", "مع", "حول", "ضد", "خارج", "داخل"})


def plover_table(path: Path) -> dict[str, tuple[str, str]]:
    """CAMEO code -> (PLOVER type, mode) from CAMEO2PLOVER-2021.txt ("1121: ACCUSE, allege, crime # ...")."""
    out: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d+):\s*([A-Z]+)\s*(?:,\s*([^,#]*))?", line)
        if m:
            out[m.group(1)] = (m.group(2), (m.group(3) or "").strip())
    return out


def _lemma(text: str) -> str:
    """A dictionary lemma as Rasd's normalised text writes it: no diacritics, + and _ as spaces."""
    return key(_DIACRITICS.sub("", text).replace("+", " ").replace("_", " ").strip())


def parse_verbs(path: Path) -> list[tuple[str, str, str | None]]:
    """(verb lemma, CAMEO code, object word or None) for every coded lemma line and pattern of the
    dictionary's verb blocks."""
    out: list[tuple[str, str, str | None]] = []
    in_verbs = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("---"):
            in_verbs = True
            continue
        if not in_verbs or not line or line.startswith(("#", "&", "+")):
            continue
        code = _CODE.search(line)
        if line.startswith("-"):
            if code is None or "#" not in line:
                continue
            body, lemmas = line[1:code.start()], line.split("#", 1)[1]
            words = [w for w in re.findall(r"[\u0621-\u064A\u064B-\u0652_+]+", body.replace("*", " "))]
            objects = [_lemma(w) for w in words if _lemma(w) not in _PREPOSITIONS and len(_lemma(w)) >= 3]
            if not objects or "&" in body:
                continue  # a bare pattern or one over a synonym set: too loose to stand for an event
            obj = objects[0]
            for lem in lemmas.split(","):
                lem = _lemma(lem)
                if lem and " " not in lem:
                    out.append((lem, code.group(1), obj))
        elif code is not None:
            lem = _lemma(line[:code.start()])
            if lem and " " not in lem:
                out.append((lem, code.group(1), None))
    return out


def forms(lemma: str) -> list[str]:
    """The third-person forms a news sentence writes of a bare (normalised) verb lemma: past masculine,
    feminine and plural, present masculine, feminine and plural."""
    if len(lemma) < 3:
        return []
    if lemma.endswith(("ي", "ا")):  # a defective verb (دعا، نفى): دعت، دعوا، يدعو are not derivable by rule
        return [lemma, lemma[:-1] + "ت"]
    # (no dual: هددا، فجرا، طالبا are nouns and adverbs far more often than verbs)
    past = [lemma, lemma + "ت", lemma + "وا"]
    stem = lemma[1:] if lemma[0] == "ا" and len(lemma) >= 4 else lemma  # افتعل/أفعل/استفعل -> يفتعل/يفعل/يستفعل
    present = ["ي" + stem, "ت" + stem, "ي" + stem + "ون"]
    return past + present


def corpus_counts(paths: list[Path]) -> Counter:
    counts: Counter = Counter()
    for p in paths:
        with gzip.open(p, "rt", encoding="utf-8") as fh:
            for line in fh:
                counts.update(_WORD.findall(normalise_str(json.loads(line).get("text") or "")))
    return counts


def build(petrarch: Path, ant: list[Path], out: Path, types: tuple[str, ...] = TYPES,
          min_count: int = MIN_COUNT, objects: bool = False) -> dict:
    """Mine the table into ``out``. ``objects``: also the verb-with-object patterns (off by default:
    checked on the seeds, the devset and ANT, they were mostly senses no news sentence means — "فعل
    ... بغضب" as an accusation — so only verbs coded on their own are kept)."""
    table = plover_table(petrarch / "CAMEO2PLOVER-2021.txt")
    verbs = parse_verbs(petrarch / "CAMEO.ar.0.5.txt")
    counts = corpus_counts(ant)
    written = {key(w) for _, _, ws, _, _ in resources.read_tsv("event_triggers.tsv", 5) for w in ws.split("|") if w}
    unmined = {key(w) for (ws,) in resources.read_tsv("event_triggers_unmined.tsv", 1) for w in ws.split("|") if w}
    # A lemma stands for the PLOVER type most of its codes give (at least MAJORITY of them, twice or
    # more): the dictionary lists one verb under many senses (دفع: push, pay, support ...), and only a
    # verb with one dominant sense can be a trigger on its own.
    senses: dict[str, Counter] = {}
    for lemma, code, _ in verbs:
        if code in table:
            senses.setdefault(lemma, Counter())[table[code][0]] += 1
    rows: dict[tuple[str, str, str], dict] = {}
    for lemma, code, obj in verbs:
        if lemma in unmined or code not in table or table[code][0] not in types or (obj is not None and not objects):
            continue
        (top, n), total = senses[lemma].most_common(1)[0], sum(senses[lemma].values())
        if top != table[code][0] or n < 2 or n / total < MAJORITY:
            continue
        etype, mode = table[code]
        kept = [f for f in forms(lemma) if f not in written and f not in unmined
                and counts[f] + counts["و" + f] + counts["ف" + f] >= min_count]
        if not kept:
            continue
        requires = ""
        if obj is not None:
            requires = "|".join(dict.fromkeys([obj, *([obj[:-1] + "ات"] if obj.endswith("ه") else [])]))
        row = rows.setdefault((etype, mode, requires), {"forms": {}, "source": set()})
        for f in kept:
            row["forms"].setdefault(f, counts[f])
        row["source"].add(f"{lemma} [{code}]")
    # The written table's own verbs, in the forms it does not list: a verb written with its feminine
    # past (ندد|نددت) is a past-tense lemma, and its plural and present (نددوا، يندد، تندد) are the same act.
    for etype, mode, ws, requires, kind in resources.read_tsv("event_triggers.tsv", 5):
        if kind != "verb" or etype not in types:
            continue
        listed = [key(w) for w in ws.split("|") if w]
        for lemma in listed:
            if " " in lemma or lemma + "ت" not in listed or lemma in unmined:
                continue
            kept = [f for f in forms(lemma) if f not in written and f not in unmined
                    and counts[f] + counts["و" + f] + counts["ف" + f] >= min_count]
            if kept:
                row = rows.setdefault((etype, mode, requires), {"forms": {}, "source": set()})
                for f in kept:
                    row["forms"].setdefault(f, counts[f])
                row["source"].add(f"{lemma} (event_triggers.tsv)")
    taken: set[tuple[str, str]] = set()
    lines = [
        "# PLOVER triggers mined from UniversalPetrarch's Arabic verb dictionary (CAMEO.ar.0.5.txt, MIT, Open Event",
        "# Data Alliance) through the official CAMEO->PLOVER table (PLOVER manual 0.8, CC BY-SA 4.0), each lemma",
        "# expanded to its third-person forms, and the forms event_triggers.tsv's own verbs lack (ندد -> نددوا, يندد),",
        f"# each kept where the ANT corpus writes it at least {min_count} times. Above each row: its lemmas [CAMEO code].",
        "# Generated by `rasd train triggers`: do not edit; keep a word out with event_triggers_unmined.tsv,",
        "# or write it in event_triggers.tsv (which wins). Columns as event_triggers.tsv: type mode triggers requires kind",
    ]
    for (etype, mode, requires), row in sorted(rows.items()):
        words = [f for f in sorted(row["forms"], key=lambda f: -row["forms"][f]) if (f, requires) not in taken]
        taken.update((f, requires) for f in words)
        if not words:
            continue
        lines.append(f"# {', '.join(sorted(row['source']))}")  # a lemma with its CAMEO code, or the written verb
        lines.append("\t".join([etype, mode, "|".join(words), requires, "verb"]))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"lemmas_coded": len(verbs), "rows": sum(1 for ln in lines if not ln.startswith("#")),
            "forms": len(taken), "out": str(out)}
