"""Order independence (issue 15 item 2): stories, incidents, claim series and disagreements are a
function of the set of documents, not of the order they arrived in."""

import json

from rasd.pipeline import extract_text
from rasd.store import open_store
from rasd.store.analysis import disagreements, incidents, stories
from rasd.store.export import rows as export_rows
from rasd.store.ingest import ingest
from rasd.store.linking import relink

from .corpus import ARTICLES

# A chain A ~ B ~ C where A and C alone are not near-duplicates: arrival order used to decide whether
# B joined A's story or C's, and which incident an event joined.
BASE = ("قالت وكالة الاستخبارات الكورية الجنوبية يوم الأربعاء إن كوريا الشمالية أرسلت نحو 3 آلاف جندي إلى روسيا "
        "خلال الشهرين الماضيين، وإن القوات انتشرت في منطقة كورسك إلى جانب الوحدات الروسية. ")
EXTRA = {
    "chain_a.txt": BASE + "وأضافت الوكالة أن بيونغ يانغ زودت موسكو بصواريخ باليستية وقذائف مدفعية خلال الصيف.",
    "chain_b.txt": BASE + "وأضافت الوكالة أن بيونغ يانغ زودت موسكو بصواريخ باليستية. ونفت موسكو وبيونغ يانغ وجود أي صفقة أسلحة.",
    "chain_c.txt": BASE + "ونفت موسكو وبيونغ يانغ وجود أي صفقة أسلحة بين البلدين، ووصفتا التقارير بأنها دعاية غربية.",
    "tolls_1.txt": "قالت وزارة الصحة إن 60 شخصا قتلوا في العراق يوم الاثنين.",
    "tolls_2.txt": "وقال شهود إن 20 شخصا قتلوا في العراق يوم الاثنين.",
}


def _docs():
    return [extract_text(body, published="2024-11-06", path=name) for name, body in {**ARTICLES, **EXTRA}.items()]


# Database row numbers (claim_id, event_id: the listings' cursor keys) count rows in arrival order,
# and ingested_at is the wall clock of the write; the facts they stamp are what must not depend on it.
ROW_IDS = {"claim_id", "event_id", "ingested_at"}


def _without_row_ids(value):
    if isinstance(value, dict):
        return {k: _without_row_ids(v) for k, v in value.items() if k not in ROW_IDS}
    if isinstance(value, list):
        return [_without_row_ids(v) for v in value]
    return value


def snapshot(store) -> dict:
    """Everything a user can read, in a canonical order."""
    def canon(rows):
        return sorted(json.dumps(_without_row_ids(r), ensure_ascii=False, sort_keys=True, default=str) for r in rows)

    out = {what: canon(export_rows(store, what)) for what in ("documents", "claims", "events", "entities")}
    out["stories"] = canon(stories(store, limit=10**6))
    out["incidents"] = canon(incidents(store, limit=10**6))
    out["disagreements"] = canon(disagreements(store))
    return out


def test_three_orders_give_the_same_store(db_url, tmp_path):
    docs = _docs()
    orders = [docs, docs[::-1], docs[1::2] + docs[::2]]
    snaps = []
    for i, order in enumerate(orders):
        url = db_url if i == 0 else (str(tmp_path / f"order{i}.db") if "://" not in db_url else None)
        if url is None:  # PostgreSQL: one database per test; empty it between orders
            url = db_url
            store = open_store(url)
            with store.engine.begin() as conn:
                for table in ("event_entities", "events", "incidents", "claims", "mentions", "lsh_bands", "documents",
                              "stories", "entities"):
                    conn.exec_driver_sql(f"DELETE FROM {table}")
        else:
            store = open_store(url)
        for start in range(0, len(order), 3):  # in batches, as a watcher would
            ingest(store, order[start:start + 3], batch_size=2)
        snaps.append(snapshot(store))
        store.close()
    assert snaps[0] == snaps[1] == snaps[2]
    assert any(len(json.loads(s)["documents"]) == 3 for s in snaps[0]["stories"])  # the chain is one story
    assert snaps[0]["disagreements"]


def test_relink_rebuilds_the_same_stories_and_incidents(db_url):
    store = open_store(db_url)
    ingest(store, _docs()[::-1])
    before = snapshot(store)
    with store.engine.begin() as conn:
        relink(conn)
    assert snapshot(store) == before
