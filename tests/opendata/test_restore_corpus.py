"""Restore refuses a damaged or invalid backup in one line, naming the problem, and writes nothing.

The corpus (tests/data/restore_corpus.py) damages a good export of a year of editing in every
way the restore reads it: its shape (each part missing or of the wrong kind), its rows (values of
the wrong type, duplicate ids, links to records not in the file) and its values (a state that
does not exist, a ``javascript:`` URL, a control character, a record that breaks its own rules).
"""

import io
import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction

from provisions import backup
from tests.data.restore_corpus import INVALID, MALFORMED, damaged
from tests.opendata.test_backup import a_year_of_editing
from tests.prodlike import ROOT, database_url


@pytest.fixture(scope="module")
def good_document(django_db_setup, django_db_blocker):
    """A real export, written from data that is then rolled back: the database stays empty."""
    with django_db_blocker.unblock(), transaction.atomic():
        a_year_of_editing()
        document = backup.export()
        transaction.set_rollback(True)
    return document


def nothing_written() -> bool:
    return not User.objects.exists() and not any(
        m._base_manager.exists() for m in backup.dataset_models()
    )


@pytest.mark.django_db
def test_the_good_file_restores(good_document):
    counts = backup.restore(good_document)
    assert counts["provisions.provision"] == 2 and counts["auth.user"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize("case", MALFORMED + INVALID, ids=lambda case: case.name)
def test_a_bad_file_is_refused_in_one_line_and_nothing_is_written(tmp_path, good_document, case):
    path = tmp_path / "backup.json"
    path.write_bytes(damaged(case, good_document))
    with pytest.raises(CommandError) as refusal:
        call_command("import_atlas", str(path), stdout=io.StringIO())
    message = str(refusal.value)
    assert case.expect in message
    assert "\n" not in message and "Traceback" not in message
    assert nothing_written()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    [MALFORMED[0], next(c for c in MALFORMED if c.name == "a short row"), INVALID[0], INVALID[1]],
    ids=lambda case: case.name,
)
def test_the_command_exits_non_zero_with_one_line(tmp_path, good_document, case):
    # As an operator runs it: a process of its own, against this (empty, migrated) database.
    path = tmp_path / "backup.json"
    path.write_bytes(damaged(case, good_document))
    result = subprocess.run(
        [sys.executable, "manage.py", "import_atlas", str(path)],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": database_url(),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert case.expect in lines[0]
    assert nothing_written()
