"""The read-only JSON API: published records only, stable ids and permalinks, filters, pages."""

import re
from urllib.parse import urlsplit

import pytest
import schemathesis
from django.urls import reverse
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from config.wsgi import application
from provisions.models import EditorialState
from tests.builders import published as make

pytestmark = pytest.mark.django_db
DRAFT = EditorialState.DRAFT


@pytest.fixture
def eu_and_us():
    eu = make.jurisdiction(code="eu", name="European Union", short_name="EU")
    us = make.jurisdiction(code="us", name="United States", short_name="US")
    weights = make.topic(slug="open-weights")
    act = make.instrument(jurisdiction=eu, slug="ai-act", short_title="AI Act")
    order = make.instrument(jurisdiction=us, slug="eo-1", short_title="EO 1")
    art53 = make.provision(instrument=act, slug="art-53-2", label="Art. 53(2)", topics=[weights])
    sec4 = make.provision(instrument=order, slug="sec-4", label="Sec. 4", topics=[weights])
    draft = make.provision(instrument=act, slug="art-99", state=DRAFT, topics=[weights])
    draft_law = make.instrument(jurisdiction=eu, slug="draft-law", state=DRAFT)
    hidden = make.provision(instrument=draft_law, slug="art-1", topics=[weights])
    return {
        "eu": eu,
        "us": us,
        "act": act,
        "art53": art53,
        "sec4": sec4,
        "draft": draft,
        "draft_law": draft_law,
        "hidden": hidden,
    }


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_provisions_list_shows_published_provisions_of_published_instruments_only(
    client, eu_and_us
):
    listed = ids(client.get("/api/provisions/"))
    assert listed == {eu_and_us["art53"].pk, eu_and_us["sec4"].pk}


@pytest.mark.parametrize("record", ["draft", "hidden"])
def test_unpublished_provision_is_404_in_the_api(client, eu_and_us, record):
    assert client.get(f"/api/provisions/{eu_and_us[record].pk}/").status_code == 404


def test_draft_instrument_and_argument_are_not_listed_nor_linked(client, eu_and_us):
    make.argument(slug="public-claim", provisions=[eu_and_us["art53"], eu_and_us["hidden"]])
    secret = make.argument(slug="secret-claim", state=DRAFT, provisions=[eu_and_us["art53"]])

    assert eu_and_us["draft_law"].pk not in ids(client.get("/api/instruments/"))
    assert client.get(f"/api/instruments/{eu_and_us['draft_law'].pk}/").status_code == 404
    arguments = client.get("/api/arguments/").json()["results"]
    assert [a["slug"] for a in arguments] == ["public-claim"]
    # The public argument names only the public provision, not the one of a draft law.
    assert [link["provision"] for link in arguments[0]["provisions"]] == [eu_and_us["art53"].pk]
    provision = client.get(f"/api/provisions/{eu_and_us['art53'].pk}/").json()
    assert secret.pk not in [link["argument"] for link in provision["arguments"]]
    assert len(provision["arguments"]) == 1


def test_every_record_has_a_stable_id_a_permalink_and_its_api_url(client, eu_and_us):
    art53 = eu_and_us["art53"]
    body = client.get(f"/api/provisions/{art53.pk}/").json()
    assert body["id"] == art53.pk
    assert body["url"] == "http://testserver/eu/ai-act/art-53-2/"
    assert body["api_url"] == f"http://testserver/api/provisions/{art53.pk}/"
    assert body["citation"] == "AI Act Art. 53(2)"
    assert body["jurisdiction"] == "eu"
    assert body["topics"] == ["open-weights"]
    # The api_url answers with the same record.
    assert client.get(body["api_url"]).json()["id"] == art53.pk

    eu = client.get("/api/jurisdictions/eu/").json()
    assert eu["url"] == "http://testserver/eu/"
    assert eu["api_url"] == "http://testserver/api/jurisdictions/eu/"
    act = client.get(f"/api/instruments/{eu_and_us['act'].pk}/").json()
    assert act["url"] == "http://testserver/eu/ai-act/"
    topic = client.get("/api/topics/open-weights/").json()
    assert topic["api_url"] == "http://testserver/api/topics/open-weights/"


def test_relabelled_provision_keeps_its_id(client, eu_and_us):
    art53 = eu_and_us["art53"]
    art53.slug, art53.label = "art-54", "Art. 54"
    art53.save()
    body = client.get(f"/api/provisions/{art53.pk}/").json()
    assert body["url"].endswith("/eu/ai-act/art-54/")


def test_list_is_paginated_with_links_to_the_next_page(client):
    place = make.jurisdiction(code="eu")
    law = make.instrument(jurisdiction=place)
    for _ in range(5):
        make.provision(instrument=law)
    first = client.get("/api/provisions/?page_size=2").json()
    assert first["count"] == 5
    assert len(first["results"]) == 2
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


@pytest.mark.parametrize(
    "query",
    ["page=999", "page=abc", "page=0"],
)
def test_a_page_that_does_not_exist_is_404_not_500(client, eu_and_us, query):
    assert client.get(f"/api/provisions/?{query}").status_code == 404


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/provisions/", "as_of=2024-13-45"),
        ("/api/provisions/", "q=" + "x" * 201),
        ("/api/provisions/", "&".join(["j=eu"] * 51)),
        ("/api/provisions/", "binding=perhaps"),
        ("/api/instruments/", "kind=%00"),
        ("/api/instruments/", "binding=maybe"),
        ("/api/arguments/", "provision=0.5"),
        ("/api/arguments/", "provision=abc"),
        ("/api/arguments/", "stance=sideways"),
        # A percent sign is text, not a format directive in the reason.
        ("/api/instruments/", "kind=%25"),
        ("/api/instruments/", "status=%25s%25d"),
        ("/api/arguments/", "stance=100%25"),
        ("/api/arguments/", "evidence=%25%28x%29s"),
    ],
)
def test_a_bad_filter_value_is_400_with_the_reason(client, eu_and_us, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    # Says which filter, and why: {"as_of": ["Enter a valid date."]}.
    name = query.split("=", 1)[0]
    body = response.json()
    assert list(body) == [name], body
    assert body[name] and all(isinstance(reason, str) and reason for reason in body[name])


def test_an_unknown_value_in_a_matrix_filter_is_ignored_as_on_the_pages(client, eu_and_us):
    both = {eu_and_us["art53"].pk, eu_and_us["sec4"].pk}
    assert ids(client.get("/api/provisions/?treatment=nonsense")) == both
    assert ids(client.get("/api/provisions/?j=atlantis&j=us")) == {eu_and_us["sec4"].pk}


# The matrix shows a provision in every cell of its jurisdiction and its topics; in this world
# every provision has a topic of the home comparison, so the cells hold exactly the provisions
# that pass the filters. The API, given the same query string, must list the same ones.
MATRIX_QUERIES = [
    "",
    "j=eu",
    "j=us&j=cn",
    "j=atlantis",
    "topic=export-controls",
    "component=data",
    "component=weights&treatment=studies&treatment=promotes",
    "treatment=exempts_conditionally",
    "status=ended",
    "status=ended&status=in_force&status=applies_later&status=non_binding",
    "binding=no",
    "binding=yes&j=us",
    "as_of=2024-12-01",
    "as_of=2024-12-01&status=applies_later",
    "as_of=1999-01-01",
    "q=documentation",
    "q=%2253(2)%22",
    "treatment=nonsense&j=eu",
    "as_of=not-a-date",
]


def page_provision_paths(html: str) -> set[str]:
    start = html.index('<table class="matrix">')
    table = html[start : html.index("</table>", start)]
    return set(re.findall(r'<a class="citation" href="([^"]+)">', table))


@pytest.mark.parametrize("query", MATRIX_QUERIES)
def test_api_filters_give_the_provisions_the_matrix_page_shows(client, query):
    make.matrix_world()
    page = client.get(f"/?{query}")
    assert page.status_code == 200
    shown = page_provision_paths(page.content.decode())

    api = client.get(f"/api/provisions/?{query}&page_size=500")
    if "not-a-date" in query:
        # The page ignores the unreadable date with a message; the API says 400 instead.
        assert api.status_code == 400
        assert "as_of" in api.json()
        return
    assert api.status_code == 200
    listed = {urlsplit(row["url"]).path for row in api.json()["results"]}
    assert listed == shown


def test_matrix_world_exercises_the_filters(client):
    # Guards the test above against an empty world: filters must change what is shown.
    make.matrix_world()
    sizes = {
        q: len(page_provision_paths(client.get(f"/?{q}").content.decode()))
        for q in ["", "j=eu", "status=ended", "binding=no", "q=documentation"]
    }
    assert sizes == {"": 3, "j=eu": 2, "status=ended": 1, "binding=no": 1, "q=documentation": 1}


def test_api_standing_is_the_one_on_the_as_of_day(client):
    world = make.matrix_world()
    url = "/api/provisions/?j=eu&topic=exemptions&treatment=exempts_conditionally"
    today = client.get(url).json()["results"][0]
    assert today["id"] == world["art_53"].pk
    assert today["standing"] == {"badge": "in_force", "date": None}
    then = client.get(url + "&as_of=2024-12-01").json()["results"][0]
    assert then["standing"] == {"badge": "applies_later", "date": "2025-08-02"}


def test_an_ended_provision_is_hidden_from_lists_by_default_but_keeps_its_record(client):
    world = make.matrix_world()
    ended = world["sec_4_6"].pk
    assert ended not in ids(client.get("/api/provisions/"))
    assert ended in ids(client.get("/api/provisions/?status=ended"))
    record = client.get(f"/api/provisions/{ended}/").json()
    assert record["standing"] == {"badge": "ended", "date": "2025-01-20"}


def test_instruments_filter_by_jurisdiction(client, eu_and_us):
    listed = ids(client.get("/api/instruments/?jurisdiction=us"))
    assert listed == {eu_and_us["sec4"].instrument.pk}


def test_arguments_filter_by_provision_and_topic(client, eu_and_us):
    weights = eu_and_us["art53"].topics.get()
    on_art53 = make.argument(provisions=[eu_and_us["art53"]])
    on_topic = make.argument(topics=[weights])
    assert ids(client.get(f"/api/arguments/?provision={eu_and_us['art53'].pk}")) == {on_art53.pk}
    assert ids(client.get("/api/arguments/?topic=open-weights")) == {on_topic.pk}


def test_api_sends_no_cookies_and_is_json_only(client, eu_and_us):
    response = client.get("/api/provisions/")
    assert response["Content-Type"] == "application/json"
    assert not response.cookies
    # No browsable HTML API (its inline assets would break the CSP).
    assert client.get("/api/provisions/", headers={"Accept": "text/html"}).status_code == 406


def test_schema_is_published_as_openapi_3(client):
    response = client.get(reverse("comparisons:api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/jurisdictions/",
        "/api/topics/",
        "/api/instruments/",
        "/api/provisions/",
        "/api/arguments/",
    } <= set(schema["paths"])


@pytest.mark.parametrize(
    "version", ['a";filename=evil.html', "1\r\nSet-Cookie: x=1", "2.0.0", "%00"]
)
def test_the_schema_names_its_own_version_whatever_the_query_says(client, version):
    response = client.get(reverse("comparisons:api:schema"), {"format": "json", "version": version})
    assert response.status_code == 200
    # One file name, the API's own version; nothing of the query in the header.
    assert response["Content-Disposition"] == 'inline; filename="Openness Atlas API.json"'
    assert response.json()["info"]["version"] == "1.1.0"


LIST_ENDPOINTS = [
    "/api/jurisdictions/",
    "/api/topics/",
    "/api/instruments/",
    "/api/provisions/",
    "/api/arguments/",
]


@pytest.mark.parametrize("path", LIST_ENDPOINTS)
@pytest.mark.parametrize("size", [1, 4])
def test_list_endpoints_query_count_does_not_grow_with_data(
    client, django_assert_num_queries, path, size
):
    make.world(size)
    # count + page + one per prefetched relation, whatever the size (4 → 16 provisions).
    expected = {
        "/api/jurisdictions/": 2,
        "/api/topics/": 2,
        "/api/instruments/": 2,
        # + the FilterSet's taxonomy (jurisdictions, topics, components), + texts
        "/api/provisions/": 10,
        "/api/arguments/": 5,
    }[path]
    with django_assert_num_queries(expected):
        response = client.get(path)
    assert response.status_code == 200
    assert response.json()["count"] >= size


# Property-based: every operation, random valid and invalid input, against the schema. The
# schema is read in-process from the WSGI app, as a client would read /api/schema/.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def small_atlas(wsgi_keeps_the_connection):
    make.world(2)
    draft_law = make.instrument(jurisdiction=make.jurisdiction(code="cn"), state=DRAFT)
    make.provision(instrument=draft_law)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_openapi_schema(small_atlas, case):
    excluded = []
    if case.operation.path in (
        "/api/provisions/",
        "/api/instruments/",
        "/api/arguments/",
        "/api/models/",
    ):
        # The lists filter as the pages do (API 1.1): unknown values of the repeatable filters
        # (the matrix's, ``j`` of instruments, ``component`` of arguments) and of a model's
        # country are ignored and reported, and a deprecated name given beside its new one is
        # ignored, so "negative" data such as a number sent as ``component`` is, once on the
        # wire, an acceptable string. Every other check still runs here; a value outside a
        # fixed list is still a 400 (test_a_bad_filter_value_is_400_with_the_reason).
        excluded = [negative_data_rejection]
    response = case.call_and_validate(excluded_checks=excluded)
    assert response.status_code < 500


def test_open_data_page_explains_and_links_everything_without_scripts(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    for href in [
        "/export/atlas.json",
        "/static/schema/atlas-export.schema.json",
        "/api/provisions/",
        "/api/schema/?format=json",
        "/feeds/changes.atom",
        "https://creativecommons.org/licenses/by/4.0/",
    ]:
        assert f'href="{href}"' in html, href
    # No API console: nothing loaded from elsewhere, no script beyond the site's own.
    assert "cdn" not in html.lower()
    assert "<script" not in html.split("</head>", 1)[1]


# Version 1.1 of the API speaks the pages' vocabulary; the 1.0 names and values keep working,
# with the same answers, until the end of the deprecation period (comparisons/opendata/api.py).
OLD_AND_NEW = [
    ("/api/instruments/", "jurisdiction=us", "j=us"),
    ("/api/instruments/", "binding=true", "binding=yes"),
    ("/api/instruments/", "binding=false", "binding=no"),
    ("/api/arguments/", "evidence_kind=empirical", "evidence=empirical"),
    ("/api/models/", "provider_country=Fictland", "country=Fictland"),
    ("/api/models/", "weights_access=open", "weights=open"),
    ("/api/models/", "licence_osi=not_approved", "osi=not_approved"),
]


@pytest.fixture
def vocabulary_world(eu_and_us):
    from provisions.models import ModelProfile

    instruments = eu_and_us["act"].__class__.objects
    instruments.filter(pk=eu_and_us["act"].pk).update(binding=True)
    instruments.filter(pk=eu_and_us["sec4"].instrument_id).update(binding=False)
    make.argument(evidence_kind="empirical")
    make.argument(evidence_kind="statement")
    for name, country, weights, osi in [
        ("Open", "Fictland", "open", "approved"),
        ("Closed", "Synthetica", "api_only", "not_approved"),
    ]:
        ModelProfile.objects.create(
            slug=name.lower(),
            name=name,
            provider="Lab",
            provider_country=country,
            licence_name="Some licence",
            weights_access=weights,
            licence_osi=osi,
            state="published",
            **make.SOURCED,
        )


@pytest.mark.parametrize(("path", "old", "new"), OLD_AND_NEW)
def test_an_old_parameter_answers_what_its_new_name_does(client, vocabulary_world, path, old, new):
    everything = ids(client.get(path))
    by_new = client.get(f"{path}?{new}")
    by_old = client.get(f"{path}?{old}")
    # The filter narrows (so the comparison below says something), and both answer the same.
    assert set() < ids(by_new) < everything
    assert ids(by_old) == ids(by_new)
    assert by_old.json()["count"] == by_new.json()["count"]
    # The old one is told what to use instead; the new one has nothing to be told.
    old_name = old.split("=", 1)[0]
    assert "Deprecated" in " ".join(by_old.json()["messages"][old_name])
    assert "messages" not in by_new.json()


def test_the_api_takes_the_pages_names_and_ignores_unknown_values_with_a_message(client, eu_and_us):
    response = client.get("/api/instruments/?j=us&j=atlantis")
    assert ids(response) == {eu_and_us["sec4"].instrument.pk}
    assert response.json()["messages"] == {"j": ["Unknown value ignored: “atlantis”."]}
    # Repeatable, as on the pages: any of the values matches.
    assert len(ids(client.get("/api/instruments/?j=us&j=eu"))) == 2


def test_the_schema_lists_the_old_names_as_deprecated(client):
    schema = client.get(reverse("comparisons:api:schema"), {"format": "json"}).json()
    parameters = {
        path: {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        for path in ("/api/instruments/", "/api/arguments/", "/api/models/")
    }
    for path, old, new in OLD_AND_NEW:
        old_name, new_name = old.split("=")[0], new.split("=")[0]
        assert not parameters[path][new_name].get("deprecated"), new
        if old_name != new_name:
            assert parameters[path][old_name]["deprecated"] is True, old
            assert f"`{new_name}`" in parameters[path][old_name]["description"]
    assert "2027-05-31" in schema["info"]["description"]


def test_given_an_old_name_and_its_new_one_the_new_one_is_read(client, vocabulary_world):
    response = client.get("/api/models/?country=Fictland&provider_country=Synthetica")
    assert ids(response) == ids(client.get("/api/models/?country=Fictland"))
    assert ids(response) != ids(client.get("/api/models/?country=Synthetica"))
    assert response.json()["messages"] == {
        "provider_country": ["Ignored: “country” was given too."]
    }
