"""Downloads: a matrix view as CSV and JSON, and the whole published atlas as JSON."""

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.urls import resolve

from provisions.models import Argument, Instrument, Provision
from tests.builders import published as f

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "static/schema/atlas-export.schema.json").read_text()
)

QUERIES = [
    "",
    "j=eu",
    "j=us&j=cn",
    "topic=export-controls",
    "component=data",
    "treatment=exempts_conditionally&treatment=promotes",
    "status=ended",
    "binding=no",
    "as_of=2024-12-01",
    "q=documentation",
    "j=atlantis&treatment=nonsense",
    "as_of=not-a-date",
]


def page_cells(html: str) -> set[tuple[str, str, str]]:
    """(row, jurisdiction, provision path) for every provision link in the matrix cells."""
    found = set()
    for cell_id, body in re.findall(r'<td id="cell-([^"]+)"[^>]*>(.*?)</td>', html, re.S):
        for href in re.findall(r'<a class="citation" href="([^"]+)">', body):
            row, _, code = cell_id.rpartition("-")
            found.add((row, code, href))
    return found


def csv_cells(content: bytes) -> set[tuple[str, str, str]]:
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    return {(r["row"], r["jurisdiction"], urlsplit(r["url"]).path) for r in rows if r["url"]}


def json_cells(body: dict) -> set[tuple[str, str, str]]:
    return {
        (row["slug"], cell["jurisdiction"], urlsplit(p["url"]).path)
        for row in body["rows"]
        for cell in row["cells"]
        for p in cell["provisions"]
    }


@pytest.mark.parametrize("query", QUERIES)
def test_csv_and_json_of_a_matrix_hold_exactly_what_the_page_shows(client, query):
    f.matrix_world()
    shown = page_cells(client.get(f"/?{query}").content.decode())

    as_csv = client.get(f"/export/compare/home.csv?{query}")
    assert as_csv.status_code == 200
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert as_csv["Content-Disposition"].startswith('attachment; filename="atlas-home-')
    assert csv_cells(as_csv.content) == shown

    as_json = client.get(f"/export/compare/home.json?{query}")
    assert as_json.status_code == 200
    body = json.loads(as_json.content)
    assert json_cells(body) == shown
    assert body["provision_count"] == len({path for _, _, path in shown})


def test_the_world_makes_the_comparison_meaningful(client):
    # Without this, "exports equal the page" could hold because both are empty.
    f.matrix_world()
    sizes = {q: len(page_cells(client.get(f"/?{q}").content.decode())) for q in QUERIES[:3]}
    assert sizes == {"": 4, "j=eu": 3, "j=us&j=cn": 1}


def test_a_download_holds_every_provision_of_a_capped_cell(client):
    world = f.matrix_world()
    extra = [
        f.provision(instrument=world["ai_act"], topics=[world["export"]]).get_absolute_url()
        for _ in range(8)
    ]
    page = client.get("/").content.decode()
    assert "and 3 more" in page  # 9 here, the page shows 6
    rows = list(
        csv.DictReader(io.StringIO(client.get("/export/compare/home.csv").content.decode()))
    )
    in_cell = {
        urlsplit(r["url"]).path
        for r in rows
        if r["row"] == "export-controls" and r["jurisdiction"] == "eu"
    }
    assert set(extra) <= in_cell
    assert len(in_cell) == 9


def test_empty_cells_say_why_in_the_csv(client):
    f.matrix_world()
    rows = list(
        csv.DictReader(io.StringIO(client.get("/export/compare/home.csv").content.decode()))
    )
    states = {(r["row"], r["jurisdiction"]): r["cell"] for r in rows}
    assert states[("exemptions", "cn")] == "silent"
    assert states[("export-controls", "cn")] == "not_reviewed"
    silent = next(r for r in rows if r["cell"] == "silent")
    assert silent["silence"] == "No text mentions open-source models."
    filtered = list(
        csv.DictReader(
            io.StringIO(
                client.get("/export/compare/home.csv?j=eu&treatment=studies").content.decode()
            )
        )
    )
    assert {r["cell"] for r in filtered} == {"filtered_out"}


def test_json_of_a_matrix_says_which_filters_it_ignored(client):
    f.matrix_world()
    body = client.get("/export/compare/home.json?j=atlantis&j=eu&as_of=2024-12-01").json()
    assert body["query"] == {"j": ["eu"], "as_of": ["2024-12-01"]}
    assert "atlantis" in " ".join(body["ignored"]["j"])
    assert body["as_of"] == "2024-12-01"
    assert [c["code"] for c in body["columns"]] == ["eu"]
    assert body["schema_version"] == "1.0"
    assert "CC BY 4.0" in body["licence"]["statement"]


def test_text_that_looks_like_a_formula_is_defused_in_the_csv(client):
    world = f.matrix_world()
    world["art_2"].summary = '=HYPERLINK("https://evil.example","click")'
    world["art_2"].save()
    rows = list(
        csv.DictReader(io.StringIO(client.get("/export/compare/home.csv?j=eu").content.decode()))
    )
    summaries = {r["summary"] for r in rows}
    assert '\'=HYPERLINK("https://evil.example","click")' in summaries
    assert not any(s.startswith("=") for s in summaries)


def test_unknown_or_draft_comparison_has_no_export(client):
    world = f.matrix_world()
    f.comparison(jurisdictions=[world["eu"]], slug="secret", state="draft")
    for slug in ["nope", "secret"]:
        assert client.get(f"/export/compare/{slug}.csv").status_code == 404
        assert client.get(f"/export/compare/{slug}.json").status_code == 404


@pytest.mark.parametrize(
    "query", ["j=%00", "as_of=99999-01-01", "q=" + "x" * 5000, "&".join(["topic=x"] * 80)]
)
def test_hostile_query_strings_never_break_a_download(client, query):
    f.matrix_world()
    as_csv = client.get(f"/export/compare/home.csv?{query}")
    assert as_csv.status_code == 200
    header = as_csv.content.decode("utf-8-sig").splitlines()[0]  # after the BOM
    assert header.startswith("row_kind,row,row_name,jurisdiction,cell,provision_id")
    as_json = client.get(f"/export/compare/home.json?{query}")
    assert as_json.status_code == 200
    body = as_json.json()
    # The bad filter is named among the ignored ones; the download is still the matrix.
    name = query.split("=", 1)[0]
    assert name in body["ignored"], body["ignored"]
    assert [c["code"] for c in body["columns"]] == ["eu", "us", "cn"]


# --- the whole atlas --------------------------------------------------------------------------


def full_export(client) -> dict:
    response = client.get("/export/atlas.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="openness-atlas-')
    return json.loads(response.content)


def test_full_export_validates_against_its_committed_schema(client):
    world = f.matrix_world()
    f.argument(provisions=[world["art_53"]], topics=[world["exemptions"]])
    body = full_export(client)
    jsonschema.validate(body, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert body["schema_version"] == "1.0"
    assert body["$schema"].endswith("/static/schema/atlas-export.schema.json")
    assert "CC BY 4.0" in body["licence"]["statement"]
    assert "own terms" in body["licence"]["statement"]


def test_schema_rejects_an_export_with_a_missing_or_unknown_field(client):
    # The schema is strict, so a field added or dropped in the code fails the test above.
    f.matrix_world()
    body = full_export(client)
    del body["provisions"][0]["citation"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(body, SCHEMA)
    body = full_export(client)
    body["instruments"][0]["secret"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(body, SCHEMA)


def test_full_export_round_trips_ids_and_holds_published_records_only(client):
    world = f.matrix_world()
    f.argument(provisions=[world["art_53"]])
    f.argument(slug="draft-claim", state="draft")
    body = full_export(client)

    assert {p["id"] for p in body["provisions"]} == set(
        Provision.objects.public().values_list("pk", flat=True)
    )
    assert {i["id"] for i in body["instruments"]} == set(
        Instrument.objects.published().values_list("pk", flat=True)
    )
    assert {a["id"] for a in body["arguments"]} == set(
        Argument.objects.published().values_list("pk", flat=True)
    )
    assert "draft-claim" not in {a["slug"] for a in body["arguments"]}

    for kind, model in [("provisions", Provision), ("instruments", Instrument)]:
        for record in body[kind]:
            # The id names the record; its permalink and its API address name the same one.
            assert (
                urlsplit(record["url"]).path
                == model.objects.get(pk=record["id"]).get_absolute_url()
            )
            assert client.get(record["api_url"]).json()["id"] == record["id"]
            assert resolve(urlsplit(record["url"]).path).url_name in {"provision", "instrument"}

    # Every reference inside the file points at a record in the file.
    instrument_ids = {i["id"] for i in body["instruments"]}
    provision_ids = {p["id"] for p in body["provisions"]}
    argument_ids = {a["id"] for a in body["arguments"]}
    codes = {j["code"] for j in body["jurisdictions"]}
    topics = {t["slug"] for t in body["topics"]}
    for p in body["provisions"]:
        assert p["instrument"] in instrument_ids
        assert p["jurisdiction"] in codes
        assert set(p["topics"]) <= topics
        assert {link["argument"] for link in p["arguments"]} <= argument_ids
    for a in body["arguments"]:
        assert {link["provision"] for link in a["provisions"]} <= provision_ids


def test_relabelling_a_provision_keeps_its_id_in_the_export(client):
    world = f.matrix_world()
    before = {p["id"]: p["url"] for p in full_export(client)["provisions"]}
    world["art_53"].slug = "art-53-2-new"
    world["art_53"].save()
    after = {p["id"]: p["url"] for p in full_export(client)["provisions"]}
    assert before.keys() == after.keys()
    assert after[world["art_53"].pk].endswith("/eu/ai-act/art-53-2-new/")


@pytest.mark.parametrize("size", [1, 3])
def test_full_export_query_count_does_not_grow_with_data(client, django_assert_num_queries, size):
    f.world(size)
    # 16, + the provisions' texts, + 2 for model profiles (this world has none, so their
    # sources are not fetched): the profiles, and the conditions of provisions.
    with django_assert_num_queries(19):
        client.get("/export/atlas.json")


def test_matrix_page_links_its_downloads_with_the_same_query(client):
    f.matrix_world()
    html = client.get("/?j=eu&treatment=exempts").content.decode()
    assert 'href="/export/compare/home.csv?j=eu&amp;treatment=exempts"' in html
    assert 'href="/export/compare/home.json?j=eu&amp;treatment=exempts"' in html
    assert 'href="/export/atlas.json"' in html
    # The htmx fragment carries the links too, so they follow the filters without a reload.
    fragment = client.get("/?j=us", headers={"HX-Request": "true"}).content.decode()
    assert 'href="/export/compare/home.csv?j=us"' in fragment


@pytest.mark.parametrize(
    "dangerous",
    [
        '+HYPERLINK("https://evil.example")',
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "=1+1",
    ],
    ids=["plus", "minus", "at", "tab", "carriage-return", "equals"],
)
def test_every_formula_trigger_is_defused_in_the_csv(client, dangerous):
    """Spreadsheets run a cell as a formula when it starts with = + - @, and some after a
    leading tab or carriage return (OWASP "CSV injection"). Summaries and silences alike.

    Planted and caught: the guard reduced to a leading "=" (``value[0] in "="``), and each of
    + - @ tab CR removed from it in turn."""
    world = f.matrix_world()
    world["art_2"].summary = dangerous
    world["art_2"].save()
    f.silence(jurisdiction=world["us"], topics=[world["export"]], statement=dangerous)
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/export/compare/home.csv?as_of=2025-06-01").content.decode(),
                newline="",
            )
        )
    )
    art_2 = next(r for r in rows if r["citation"] == "AI Act Art. 2(12)")
    assert art_2["summary"] == "'" + dangerous
    silent = next(r for r in rows if r["silence"].endswith(dangerous.lstrip("\t\r=+-@")))
    assert silent["silence"] == "'" + dangerous
    # Ordinary text is left as it is.
    assert next(r for r in rows if r["citation"] == "AI Act Art. 53(2)")["summary"] == (
        "Open-source GPAI providers are exempt from documentation duties."
    )
