"""Many distinct articles for the listing and API tests: the store-test articles, each with one
added sentence that makes it a new document (a new figure, a new date)."""

from rasd.pipeline import extract_text

from .corpus import ARTICLES

_EXTRA = "وقال مسؤول عسكري روسي يوم {day} نوفمبر إن {n} جندي وصلوا إلى منطقة كورسك."


def article(i: int) -> tuple[str, str]:
    names = sorted(ARTICLES)
    name = names[i % len(names)]
    body = ARTICLES[name] + _EXTRA.format(day=1 + i % 27, n=1000 + 37 * i) + "\n"
    return f"{i:03d}-{name}", body


def documents(start: int, stop: int):
    """Extracted documents number start..stop-1, published in November 2024 (a few days apart)."""
    out = []
    for i in range(start, stop):
        name, body = article(i)
        out.append(extract_text(body, published=f"2024-11-{1 + i % 28:02d}", path=name))
    return out


def fill(db_url: str, n: int) -> str:
    """The database at db_url with documents 0..n-1 stored; returns db_url."""
    from rasd.store import open_store
    from rasd.store.ingest import ingest

    s = open_store(db_url)
    ingest(s, documents(0, n))
    s.close()
    return db_url
