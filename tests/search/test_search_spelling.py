"""Misspelt words are corrected from the words the atlas publishes (a trigram index on a
vocabulary kept up to date after each commit), never from a draft's words."""

import pytest

from comparisons.search.engine import search
from provisions import vocabulary
from provisions.models import EditorialState
from tests.builders import published as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """An act with one published and one draft provision, committed (the vocabulary is
    refreshed after the commit, as an editor's save would)."""
    with django_capture_on_commit_callbacks(execute=True):
        act = make.ai_act(make.place("eu"), summary="Rules for AI systems.")
        make.provision(
            instrument=act,
            label="Art. 53(2)",
            summary="Zeppelin operators releasing open weights are exempt.",
        )
        make.provision(
            instrument=act,
            label="Art. 99",
            state=EditorialState.DRAFT,
            summary="A draft about quixotic obligations.",
        )
    return act


def test_a_misspelt_query_shows_the_corrected_results_and_links_to_the_query_as_typed(client, act):
    found = search("zepelin")
    assert found.searched == "zeppelin" and found.corrected
    assert [hit.title for hit in found.provisions] == ["AI Act Art. 53(2)"]
    html = client.get("/search/", {"q": "zepelin"}).content.decode()
    assert "Showing results for <strong>zeppelin</strong>." in html
    assert '<a href="?q=zepelin&amp;as_typed=1">Search for “zepelin” as typed</a>' in html
    as_typed = client.get("/search/", {"q": "zepelin", "as_typed": "1"}).content.decode()
    assert "Showing results for" not in as_typed
    assert 'data-result-count="0"' in as_typed
    body = client.get("/api/search", {"q": "zepelin"}).json()
    assert body["showing_results_for"] == "zeppelin" and body["total"] == 1


def test_a_draft_word_is_never_a_correction(act):
    found = search("quixotik")
    assert not found.corrected and found.total == 0
    assert vocabulary.VIEW  # the words come from the view, which holds published words only


def test_a_known_word_is_never_corrected(act):
    assert not search("zeppelin").corrected


def test_words_published_later_become_corrections_after_the_commit(
    act, django_capture_on_commit_callbacks
):
    assert not search("dirigibel").corrected
    with django_capture_on_commit_callbacks(execute=True):
        make.provision(instrument=act, label="Art. 54", summary="Dirigible fleets too.")
    assert search("dirigibel").searched == "dirigible"


class Unreachable:
    """A database connection that fails every statement, as a refresh timing out would."""

    vocabulary_refresh_pending = None

    def cursor(self):
        raise TimeoutError("canceling statement due to statement timeout")


def test_a_failed_vocabulary_refresh_never_undoes_or_breaks_a_save(
    act, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        saved = make.provision(instrument=act, label="Art. 55", summary="Airship duties.")
        monkeypatch.setattr(vocabulary, "connection", Unreachable())
    assert hooks  # the refresh ran after the commit, and failed quietly
    monkeypatch.undo()
    assert act.provisions.filter(pk=saved.pk).exists()
