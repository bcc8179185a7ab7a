"""A wrong address gets the site's own 404 page, not Django's bare one."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/no-such-jurisdiction/", "/eu/no-such-instrument/", "/arguments/no-such-argument/"]
)
def test_unknown_addresses_answer_the_sites_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert 'href="/search/"' in body  # a way on, in the site's own layout
