"""One source of Arabic proclitics (issue 12 item 6): resources/clitics.tsv through rasd.arabic.clitics."""

import re
from pathlib import Path

from rasd.arabic import clitics
from rasd.arabic.clitics import article_prefixes, clitic_group, name_proclitics, split_proclitics
from rasd.store.search_text import variants

SRC = Path(clitics.__file__).resolve().parents[1]


def test_kinds_are_read_from_the_file():
    assert {"و", "ف", "ب", "ل", "ك", "وال", "لل", "وبال"} <= name_proclitics()
    assert "س" not in name_proclitics() and "قد" not in name_proclitics()  # verbs only
    assert article_prefixes()[0] in ("وبال", "فبال", "وكال")  # longest first
    assert ("قد", "اعلن") not in split_proclitics("قداعلن")


def test_verb_group_allows_the_particle_and_names_do_not():
    verbs = re.compile(rf"^{clitic_group(verbs=True)}اعلن$")
    names = re.compile(rf"^{clitic_group()}اعلن$")
    assert verbs.match("وقداعلن") and not names.match("وقداعلن")
    assert names.match("واعلن")


def test_search_index_strips_every_article_form_of_the_file():
    assert "صواريخ" in variants("وبالصواريخ")


def test_no_stage_spells_its_own_clitic_set():
    """A regular expression that lists proclitics (و|ف|ب|ل ...) or a character class of them is
    written only in the loader; the stages that allow or strip clitics ask it."""
    literal = re.compile(r"\(\?:(?:و|ف|ب|ل|وال|ال)\|(?:و|ف|ب|ل|وال|ال|ول|وب)[|)]|\[وفبلك?\]|in \(\"و\", \"ف\"\)")
    stages = [SRC / "extract" / "events.py", SRC / "extract" / "attribution.py", SRC / "store" / "search_text.py",
              *(SRC / "annotate").glob("*.py"), *(SRC / "kb").glob("*.py"), *(SRC / "ner").glob("*.py"), SRC / "arabic" / "segment.py"]
    offenders = [str(p.relative_to(SRC)) for p in stages if literal.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
