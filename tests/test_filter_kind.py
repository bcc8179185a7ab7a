"""Scratch: a new matrix filter (the provision's kind), on the page, its counts and the API."""

import pytest

from tests import atlas_data

pytestmark = pytest.mark.django_db


def test_kind_filters_the_matrix_counts_its_options_and_the_api_agrees(client):
    atlas_data.matrix_world()
    page = client.get("/?kind=section").content.decode()
    assert 'name="kind" value="section" id="kind-section" checked' in page
    assert 'id="count-kind-article">(' in page
    assert client.get("/api/provisions/?kind=section").json()["count"] == 0
    assert client.get("/api/provisions/?kind=article").json()["count"] == 3
