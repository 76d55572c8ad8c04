"""The event trigger table: the written triggers (resources/event_triggers.tsv) and the forms
`rasd train triggers` mined (resources/event_triggers_mined.tsv), as one pattern and a table of what
each trigger word proposes. The rule stage (extract/events.py) and the learned gate
(extract/event_model.py) both read it from here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rasd import resources
from rasd.arabic.clitics import clitic_group
from rasd.arabic.normalise import key
from rasd.regex_words import trie_regex

_CLITIC = clitic_group(verbs=True)  # resources/clitics.tsv


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    mode: str | None
    word: str
    requires: tuple[str, ...]
    verb: bool
    passive: bool = False  # a participle (المدعومين من إيران): its agent follows, its target stands before
    circumstantial: bool = False  # داعيا، نافيا: the sentence's subject acts
    ungated: bool = False  # kind capture: a verb the event model does not gate (event_triggers.tsv)


MINED_TRIGGERS = "event_triggers_mined.tsv"


@lru_cache(maxsize=1)
def triggers() -> tuple[re.Pattern[str], dict[str, list[Trigger]]]:
    table: dict[str, list[Trigger]] = {}
    # the written table, then the forms `rasd train triggers` mined (resources/event_triggers_mined.tsv)
    rows = [*resources.read_tsv("event_triggers.tsv", 5)]
    if resources.path(MINED_TRIGGERS).exists():
        rows += resources.read_tsv(MINED_TRIGGERS, 5)
    for etype, mode, words, requires, kind in rows:
        req = tuple(key(r) for r in requires.split("|") if r)
        for w in words.split("|"):
            table.setdefault(key(w), []).append(Trigger(etype, mode or None, key(w), req, kind in ("verb", "capture"),
                                                    kind == "passive", kind == "circumstantial", kind == "capture"))
    # the future س stands before an imperfect verb after any other clitic (وسيلتقي، فستدعم)
    # a trigger ending in a one-letter preposition ("اعترف ب") runs into the word it governs (بالقدس)
    return re.compile(rf"(?<!\w){_CLITIC}(?P<fut>س(?=[يتنا]))?(?P<t>{trie_regex(table)})(?:(?!\w)|(?<=\sب)|(?<=\sل))"), table


@lru_cache(maxsize=1)
def blocked() -> re.Pattern[str] | None:
    """Phrases that hold a trigger word but tell no event (resources/event_triggers_blocked.tsv: "وقف
    إطلاق النار" is a ceasefire, not an attack): a trigger inside one proposes nothing. Kept out of the
    trigger pattern the event model reads."""
    words = [key(w) for row in resources.read_tsv(BLOCKED_TRIGGERS, 1) for w in row[0].split("|") if w]
    if not words:
        return None
    return re.compile(rf"(?<!\w){_CLITIC}(?:{trie_regex(words)})(?!\w)")


BLOCKED_TRIGGERS = "event_triggers_blocked.tsv"
