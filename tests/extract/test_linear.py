"""Inputs whose cost used to grow with the square of their length (issue 15): they now finish, with
bounded per-sentence work and output; a document past its time budget says what was not done."""

import json

import jsonschema

from rasd import resources
from rasd.arabic.segment import MAX_SENTENCE_CHARS, sentences
from rasd.extract.attribution import modality
from rasd.pipeline import extract_text


def test_a_200_kb_list_of_claims_finishes_with_bounded_output():
    text = "".join(f"نحو {n} آلاف جندي، " for n in range(1, 12001))  # distinct figures; took over 3 minutes (modality scanned the sentence once per claim)
    doc = extract_text(text)
    assert len(doc.claims) == 12000
    assert all(len(c.sentence) <= MAX_SENTENCE_CHARS for c in doc.claims)
    out = json.dumps(doc.to_json(), ensure_ascii=False)
    assert len(out) < 100 * len(text)  # was 1.6 GB for a 200 KB sentence: each claim copied all of it


def test_long_sentences_are_cut_at_a_clause_mark_and_cover_the_text():
    text = ("قال المسؤول إن نحو 3 آلاف جندي وصلوا، " * 200) + "وانتهى."
    spans = sentences(text)
    assert len(spans) > 1 and all(s.end - s.start <= MAX_SENTENCE_CHARS for s in spans)
    assert all(text[s.end - 1] == "،" for s in spans[:-1])
    assert "".join(text[s.start:s.end] for s in spans).replace(" ", "") == text.replace(" ", "")


def test_modality_markers_before_the_figure_still_count():
    assert modality("نفت الوزارة ان ", False) == "denied"
    assert modality("من المتوقع ان يصل ", True) in ("expected", "reported")
    assert modality("قال ان ", True) == "reported"


def test_a_document_over_its_time_budget_says_what_was_skipped(monkeypatch):
    monkeypatch.setenv("RASD_DOC_BUDGET", "0")
    doc = extract_text("قال الرئيس الروسي فلاديمير بوتين إن نحو 3 آلاف جندي وصلوا.")
    assert doc.claims == () and doc.entities == ()
    assert doc.notes and "time budget" in doc.notes[0] and "extract_claims" in doc.notes[0]
    assert doc.to_json()["notes"] == list(doc.notes)
    jsonschema.validate(doc.to_json(), json.loads(resources.path("rasd.extract.schema.json").read_text(encoding="utf-8")))
    monkeypatch.delenv("RASD_DOC_BUDGET")
    full = extract_text("قال الرئيس الروسي فلاديمير بوتين إن نحو 3 آلاف جندي وصلوا.")
    assert full.claims and not full.notes and "notes" not in full.to_json()
