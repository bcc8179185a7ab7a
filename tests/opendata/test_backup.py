"""Nothing lost: export_atlas → import_atlas into an empty database gives back every row exactly.

The restore runs in a subprocess against a second, freshly migrated database, as an operator
would restore a backup; the restored database is then exported again and compared with the
first export table by table, row by row (historical tables included).
"""

import datetime
import io
import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from provisions import backup
from provisions.models import EditorialState, Provision, Topic
from tests.builders import published as make
from tests.prodlike import ROOT, database_url


def manage(*args, database):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": database_url(database),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def empty_database():
    """A second database named after this session's test database: sessions running at once
    (a mutation run beside the suite) each get their own. A fixed name let one session's
    teardown drop the database another was migrating ("atlas_restore_test does not exist")."""
    from django.db import connection

    from tests.prodlike import ProductionServer

    restore_db = f"{connection.settings_dict['NAME']}_restore"
    server = ProductionServer(database=restore_db)
    server.create_database()
    result = manage("migrate", "--no-input", "-v0", database=restore_db)
    assert result.returncode == 0, result.stderr
    yield restore_db
    server.drop_database()


def a_year_of_editing():
    """Published and draft records, edits, m2m changes, a deletion: history of every kind."""
    editor = User.objects.create_user(
        "editor", password="x" * 20, first_name="Éva", email="eva@example.org", is_staff=True
    )
    reviewer = User.objects.create_user("reviewer", password="y" * 20, is_staff=True)
    reviewers = Group.objects.create(name="Reviewers")
    reviewer.groups.add(reviewers)

    eu = make.jurisdiction(code="eu", name="European Union", short_name="EU")
    topics = [make.topic() for _ in range(3)]
    weights = make.component(slug="weights", name="Weights")
    monetised = make.condition()
    act = make.instrument(jurisdiction=eu, slug="ai-act", short_title="AI Act")
    article = make.provision(instrument=act, topics=topics[:2], components=[weights])
    make.earlier_label(article, slug="art-2-5g", label="Art. 2(5g)")
    draft = make.provision(
        instrument=act, state=EditorialState.DRAFT, summary="Unfinished — «ünïcödé» ✓"
    )
    make.event(act)
    other = make.instrument(jurisdiction=eu)
    make.relation(other, "implements", act, note="Implementing act")
    make.argument(provisions=[article], topics=topics[:1], components=[weights])
    make.silence(jurisdiction=eu, topics=topics[2:])
    make.comparison(jurisdictions=[eu], topics=topics, is_home=True)

    # Edits by named editors: new historical versions, incl. many-to-many history.
    article._history_user = editor
    article.summary = "Revised summary."
    article.save()
    article.conditions.add(monetised)
    draft._history_user = reviewer
    draft.state = EditorialState.IN_REVIEW
    draft.save()
    gone = make.topic(name="Short-lived topic")
    gone._history_user = editor
    gone.delete()


@pytest.mark.django_db(transaction=True)
def test_export_then_import_into_an_empty_database_is_exact(tmp_path, empty_database):
    a_year_of_editing()
    exported = tmp_path / "atlas.json"
    call_command("export_atlas", output=str(exported), stderr=io.StringIO())
    first = json.loads(exported.read_text())

    # The file holds every dataset table, and the history really is in it.
    assert {t["model"] for t in first["tables"]} == {
        m._meta.label_lower for m in backup.dataset_models()
    }
    rows = {t["model"]: t for t in first["tables"]}
    assert len(rows["provisions.historicalprovision"]["rows"]) == Provision.history.count() >= 4
    assert len(rows["provisions.historicaltopic"]["rows"]) == Topic.history.count()
    assert rows["provisions.historicalprovision_conditions"]["rows"]
    assert any(r[rows["provisions.provision"]["fields"].index("state")] == "in_review"
               for r in rows["provisions.provision"]["rows"])  # fmt: skip
    assert "password" not in first["accounts"]["users"]["fields"]
    assert "pbkdf2" not in exported.read_text() and "md5$" not in exported.read_text()

    result = manage("import_atlas", str(exported), database=empty_database)
    assert result.returncode == 0, result.stderr
    assert "Restored" in result.stdout

    again = tmp_path / "again.json"
    result = manage("export_atlas", "-o", str(again), database=empty_database)
    assert result.returncode == 0, result.stderr
    second = json.loads(again.read_text())

    assert second["accounts"] == first["accounts"]
    assert second["migrations"] == first["migrations"]
    assert second["sequences"] == first["sequences"]
    for before, after in zip(first["tables"], second["tables"], strict=True):
        assert after["model"] == before["model"]
        assert after["fields"] == before["fields"]
        assert after["rows"] == before["rows"], before["model"]

    # The restored database goes on: new records get fresh ids, not ones taken by the restore.
    probe = manage(
        "shell",
        "-c",
        "from provisions.models import Topic; "
        "t = Topic.objects.create(slug='after-restore', name='After', question='?'); "
        "print(t.pk, t.history.count())",
        database=empty_database,
    )
    assert probe.returncode == 0, probe.stderr
    new_pk, new_history = map(int, probe.stdout.splitlines()[-1].split())
    assert new_pk > max(r[0] for r in rows["provisions.topic"]["rows"])
    assert new_history == 1


@pytest.mark.django_db(transaction=True)
def test_import_refuses_a_database_that_has_data_and_changes_nothing(tmp_path):
    make.topic()
    exported = tmp_path / "atlas.json"
    call_command("export_atlas", output=str(exported), stderr=io.StringIO())
    with pytest.raises(Exception, match="A restore goes into an empty database"):
        call_command("import_atlas", str(exported))
    assert Topic.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "Cannot read"),
        ('{"format": "something else"}', "not an Openness Atlas export"),
        ('{"format": "openness-atlas-export", "version": 99}', "format version 99"),
    ],
)
def test_import_explains_a_file_it_cannot_use(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(Exception, match=message):
        call_command("import_atlas", str(path))


@pytest.mark.django_db
def test_import_refuses_a_file_from_other_migrations(tmp_path):
    document = backup.export()
    document["migrations"]["provisions"] = document["migrations"]["provisions"][:1]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document))
    with pytest.raises(Exception, match="Migrate an empty database to the file's migrations"):
        call_command("import_atlas", str(path))


def test_dates_survive_to_the_microsecond():
    moment = datetime.datetime(2026, 3, 1, 12, 30, 45, 123456, tzinfo=datetime.UTC)
    assert backup._encode(moment) == "2026-03-01T12:30:45.123456+00:00"


@pytest.mark.django_db
def test_each_refusal_says_exactly_why():
    """An operator reads these messages at the worst moment: they must say what to do.

    Found by make mutation: the wording, the wanted migrations, the differing tables and the
    occupied tables of each refusal could all change without a test noticing."""
    document = backup.export()

    def refusal(doc) -> str:
        with pytest.raises(backup.RestoreRefused) as refused:
            backup._check(doc)
        return str(refused.value)

    assert refusal([]) == "This is not an Openness Atlas export file."
    assert refusal({**document, "format": "csv"}) == "This is not an Openness Atlas export file."

    older = json.loads(json.dumps(document))
    first = older["migrations"]["provisions"][0]
    older["migrations"]["provisions"] = [first]
    older["migrations"]["empty_app"] = []
    wanted = {app: names[-1] if names else None for app, names in older["migrations"].items()}
    assert wanted["provisions"] == first and wanted["empty_app"] is None
    assert refusal(older) == (
        "The file was written under other migrations than this database has. Migrate an "
        f"empty database to the file's migrations ({wanted}) with `manage.py migrate <app> "
        "<migration>`, restore, then migrate forward."
    )

    fewer = {
        **document,
        "tables": [t for t in document["tables"] if t["model"] != "provisions.topic"],
    }
    assert refusal(fewer) == "The file's tables differ from this atlas's: ['provisions.topic']"

    make.topic()
    User.objects.create_user("operator")
    assert refusal(document) == (
        "A restore goes into an empty database, and this one has data in "
        "provisions.HistoricalTopic, provisions.Topic, "
        "auth.User. Create a new database, migrate it, and restore into that."
    )
