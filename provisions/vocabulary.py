"""The search vocabulary: every distinct word of public records, for spelling correction.

A materialised view (migration 0019) with a pg_trgm index on its words. Only published records
(and published provisions of published instruments) feed it, so a correction never reveals a
draft's words. It is refreshed after the commit of any change to a searchable record (once per
transaction), by load_atlas, and by the benchmark's generator; raw saves (loaddata) leave it
to load_atlas, which refreshes once for the whole load.
"""

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

VIEW = "provisions_searchword"

# Latin-script words of 3 to 40 letters (accents included: Portuguese, French); Chinese is
# searched by character pairs, not corrected.
_WORDS = r"SELECT regexp_split_to_table(lower(%s), '[^a-z\u00e0-\u00f6\u00f8-\u024f]+') AS word"
_PUBLIC_PROVISION = (
    "p.state = 'published' AND EXISTS (SELECT 1 FROM provisions_instrument i "
    "WHERE i.id = p.instrument_id AND i.state = 'published')"
)
_SOURCES = [
    (
        "concat_ws(' ', p.label, p.heading, p.summary, p.openness_note)",
        f"provisions_provision p WHERE {_PUBLIC_PROVISION}",
    ),
    (
        "t.body",
        "provisions_provisiontext t JOIN provisions_provision p ON p.id = t.provision_id "
        f"WHERE t.state = 'published' AND {_PUBLIC_PROVISION}",
    ),
    (
        "concat_ws(' ', x.title, x.short_title, x.summary)",
        "provisions_instrument x WHERE x.state = 'published'",
    ),
    ("concat_ws(' ', x.title, x.summary)", "provisions_argument x WHERE x.state = 'published'"),
    (
        "concat_ws(' ', x.name, x.provider, x.licence_name, x.analysis)",
        "provisions_modelprofile x WHERE x.state = 'published'",
    ),
    ("x.terms", "provisions_searchsynonym x"),
    ("concat_ws(' ', x.name, x.question)", "provisions_topic x"),
    ("x.name", "provisions_component x"),
]
VIEW_SQL = (
    "SELECT word, count(*) AS documents FROM ("
    + " UNION ALL ".join(f"{_WORDS % text} FROM {source}" for text, source in _SOURCES)
    + r") AS words WHERE length(word) BETWEEN 3 AND 40 GROUP BY word"
)

# The records whose words feed the view (by model name, to stay free of import cycles).
FED_BY = {"provision", "provisiontext", "instrument", "argument", "modelprofile"}
FED_BY |= {"searchsynonym", "topic", "component"}


def refresh() -> None:
    """Rebuild the view without blocking readers (CONCURRENTLY: searches keep reading the old
    words until the new ones are ready)."""
    connection.vocabulary_refresh_pending = None
    with connection.cursor() as cursor:
        cursor.execute(f"REFRESH MATERIALIZED VIEW CONCURRENTLY {VIEW}")


def refresh_after_commit(sender, instance=None, raw=False, **kwargs) -> None:
    if raw or sender._meta.app_label != "provisions" or sender._meta.model_name not in FED_BY:
        return
    # One refresh per transaction, however many records it saves. The list of commit hooks is
    # a new one after each commit or rollback, so a refresh is pending only while it is the
    # list the refresh was added to.
    hooks = connection.run_on_commit
    if getattr(connection, "vocabulary_refresh_pending", None) is hooks:
        return
    connection.vocabulary_refresh_pending = hooks
    # Robust: the record is saved whatever happens to the refresh (a timeout under load is
    # logged, and the words wait for the next commit); a stale word is harmless, since search
    # shows a correction only when it finds published records.
    transaction.on_commit(refresh, robust=True)


post_save.connect(refresh_after_commit, dispatch_uid="search-vocabulary-save")
post_delete.connect(refresh_after_commit, dispatch_uid="search-vocabulary-delete")
