"""sitemap.xml lists every published page and nothing else; robots.txt points at it."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from tests.builders import published as f

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_paths(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SM}urlset"
    return [urlsplit(loc.text).path for loc in root.iter(f"{SM}loc")]


def test_sitemap_lists_every_published_page_of_every_kind(client):
    world = f.matrix_world()
    argument = f.argument(slug="a-claim", provisions=[world["art_53"]])
    other = f.comparison(jurisdictions=[world["eu"]], slug="eu-only")
    paths = sitemap_paths(client)

    expected = {
        "/",  # the home comparison
        other.get_absolute_url(),
        "/arguments/",
        "/changes/",
        "/api/docs/",
        "/about/",
        "/models/",
        "/models/check/",
        "/eu/",
        "/us/",
        "/cn/",
        "/eu/ai-act/",
        "/us/eo-14110/",
        "/us/action-plan/",
        "/eu/ai-act/art-53-2/",
        "/eu/ai-act/art-2-12/",
        "/us/eo-14110/sec-4-6/",
        "/us/action-plan/pillar-1/",
        argument.get_absolute_url(),
        "/texts/exemptions/",  # each question's texts side by side
        "/texts/export-controls/",
    }
    assert set(paths) == expected
    assert len(paths) == len(set(paths))


def test_sitemap_leaves_out_drafts_and_provisions_of_draft_instruments(client):
    world = f.matrix_world()
    f.argument(slug="secret", state="draft")
    f.comparison(jurisdictions=[world["eu"]], slug="secret-view", state="draft")
    paths = sitemap_paths(client)
    assert "/eu/ai-act/art-draft/" not in paths
    assert "/cn/draft-law/" not in paths
    assert "/cn/draft-law/art-1/" not in paths
    assert "/arguments/secret/" not in paths
    assert "/compare/secret-view/" not in paths


def test_every_url_in_the_sitemap_answers_200(client):
    f.matrix_world()
    f.argument(slug="a-claim")
    for path in sitemap_paths(client):
        assert client.get(path).status_code == 200, path


def test_sitemap_gives_last_modified_dates_of_records(client):
    world = f.matrix_world()
    body = client.get("/sitemap.xml").content.decode()
    art = world["art_53"]
    entry = body[body.index(art.get_absolute_url()) :]
    lastmod = entry[entry.index("<lastmod>") + 9 : entry.index("</lastmod>")]
    assert lastmod == art.updated_at.date().isoformat()


def test_robots_txt_points_at_the_sitemap_and_hides_no_secret(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "User-agent: *" in lines
    assert "Disallow: /export/" in lines
    assert settings.ADMIN_URL not in response.content.decode()


@pytest.mark.parametrize("size", [1, 4])
def test_sitemap_query_count_does_not_grow_with_data(client, django_assert_num_queries, size):
    f.world(size)
    # A count and a page per section, whatever the size: 9, + count and list of the questions
    # and the model profiles' section (no record in this world: its count only).
    with django_assert_num_queries(12):
        client.get("/sitemap.xml")
