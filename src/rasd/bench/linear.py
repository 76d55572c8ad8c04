"""Is every stage linear in the input? Time and peak memory of the whole text path (clean, entities,
claims, events, and the JSON output) on hostile inputs of 10, 100 and 1,000 KB.

    python -m rasd.bench.linear [--sizes 10,100,1000] [--shapes all] [--budget 60]

Each (shape, size) runs in a fresh process (so peak RSS is its own). A stage that is quadratic shows
as a time ratio far above 10 between 100 and 1,000 KB; ``--budget`` is the time allowed per example
(seconds per 1,000 KB), and an example over it is marked. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

# Shapes of hostile input: (name, unit of text repeated to the size, whether it goes through the HTML path)
SHAPES: dict[str, tuple[str, bool]] = {
    "repeated_claims": ("نحو 3 آلاف جندي، ", False),  # the case: thousands of claims in one list
    "one_sentence_of_claims": ("قال المسؤول إن نحو 3 آلاف جندي من كوريا الشمالية وصلوا و", False),  # no punctuation at all
    "prose": ("قال الرئيس الروسي فلاديمير بوتين في خطابه رقم {i} إن بلاده ستواصل التعاون مع كوريا الشمالية. "
              "وأضاف أن نحو {i} جندي وصلوا إلى روسيا في أكتوبر الماضي، بحسب وزارة الدفاع الكورية الجنوبية.\n", False),
    "one_long_word": ("ب", False),
    "digits_and_bidi": ("\u202b١٢٣٤٥٦٧٨٩٠ 1,000 ۱۲ \u200f\u202e", False),
    "html_paragraphs": ("<p>أعلنت وزارة الدفاع في بيانها رقم {i} أن نحو {i} جندي وصلوا، ونفت موسكو ذلك.</p>\n", True),
}


def make(shape: str, kb: int) -> tuple[str, bool]:
    unit, is_html = SHAPES[shape]
    n = kb * 1024
    reps = n // len(unit.encode("utf-8")) + 1
    body = "".join(unit.format(i=i) for i in range(reps)) if "{i}" in unit else unit * reps
    text = body.encode("utf-8")[:n].decode("utf-8", "ignore")
    if is_html:
        text = "<html><head><title>t</title></head><body><article>" + text + "</article></body></html>"
    return text, is_html


def one(shape: str, kb: int) -> dict:
    """In this process: the text path on one input, and its JSON output."""
    import resource

    from rasd.pipeline import annotate, clean
    from rasd.sources.files import RawArticle

    text, is_html = make(shape, kb)
    clean(RawArticle("<warm>", "قال بوتين إن 3 آلاف جندي وصلوا.", False, "utf-8"))  # load resources first
    t0 = time.perf_counter()
    doc = annotate(clean(RawArticle("<bench>", text, is_html, "utf-8")))
    out = json.dumps(doc.to_json(), ensure_ascii=False)
    secs = time.perf_counter() - t0
    return {"shape": shape, "kb": kb, "seconds": round(secs, 3), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "output_kb": round(len(out.encode("utf-8")) / 1024), "claims": len(doc.claims), "events": len(doc.events),
            "notes": list(doc.notes)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10,100,1000", help="input sizes in KB")
    ap.add_argument("--shapes", default="all", help="comma-separated shape names, or all: " + ", ".join(SHAPES))
    ap.add_argument("--budget", type=float, default=60.0, help="seconds allowed per 1,000 KB of input")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        shape, kb = args.one.split(":")
        print(json.dumps(one(shape, int(kb)), ensure_ascii=False))
        return
    shapes = list(SHAPES) if args.shapes == "all" else args.shapes.split(",")
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for shape in shapes:
        for kb in sizes:
            allowed = max(args.budget * kb / 1000, 5.0)
            try:
                r = subprocess.run([sys.executable, "-m", "rasd.bench.linear", "--one", f"{shape}:{kb}"],
                                   capture_output=True, timeout=allowed * 3)
                row = json.loads(r.stdout) if r.returncode == 0 else {"shape": shape, "kb": kb, "error": r.stderr.decode()[-300:]}
            except subprocess.TimeoutExpired:
                row = {"shape": shape, "kb": kb, "error": f"did not finish in {allowed * 3:.0f} s"}
            row["within_budget"] = "seconds" in row and row["seconds"] <= allowed
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    summary = {}
    for shape in shapes:
        t = {r["kb"]: r.get("seconds") for r in rows if r["shape"] == shape}
        if t.get(100) and t.get(1000):
            summary[shape] = round(t[1000] / t[100], 1)  # ~10 when linear, ~100 when quadratic
    print(json.dumps({"runs": rows, "time_ratio_1000kb_over_100kb": summary,
                      "all_within_budget": all(r["within_budget"] for r in rows)}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
