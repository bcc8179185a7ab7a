"""The search vocabulary: the distinct words of everything public, with a trigram index, so
that search can correct a misspelt word (comparisons/search/spelling.py) by asking pg_trgm for
the nearest known word, without a trigram index over every text.

A materialised view, refreshed after each commit that changes searchable records
(provisions/vocabulary.py) and after load_atlas; words of drafts never enter it.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from provisions.vocabulary import VIEW, VIEW_SQL

CREATE = f"""
CREATE MATERIALIZED VIEW {VIEW} AS {VIEW_SQL};
CREATE UNIQUE INDEX {VIEW}_word ON {VIEW} (word);
CREATE INDEX {VIEW}_trigram ON {VIEW} USING gin (word gin_trgm_ops);
"""


class Migration(migrations.Migration):
    dependencies = [("provisions", "0018_merge_20261207_2045")]

    operations = [
        TrigramExtension(),
        migrations.RunSQL(CREATE, f"DROP MATERIALIZED VIEW IF EXISTS {VIEW};"),
    ]
