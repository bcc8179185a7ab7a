"""Fuzz: hostile text in every editor-written field, through every feed and download.

Text here is stored straight into the database, past the plain-text rule, as data written
before it (or by a script) would be: control characters, formula prefixes, markup, characters
XML cannot carry. Every Atom feed must stay well-formed XML with the text as text; every CSV
cell (the public matrix CSV, the admin's CSV and TSV) must open in a spreadsheet as text; every
JSON download and API answer must parse and give the text back exactly; the admin's XLSX must
open.
"""

import csv
import io
import json
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provisions.models import EditorialState
from provisions.plaintext import FORMULA_PREFIXES, text_fields
from tests.builders import drafts as make
from tests.builders import published as f

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PREFIXES = ["", *FORMULA_PREFIXES, "'=", "<img src=x onerror=alert(1)>", "]]>"]
# NUL aside (PostgreSQL text cannot hold it; forms refuse it), every C0 control and then some.
ALPHABET = [chr(c) for c in range(1, 32)] + list("ab <>&\"';,=+-@\x7f\ufffe\uffff\u2028é中")

hostile = st.builds(
    lambda prefix, body: prefix + body,
    st.sampled_from(PREFIXES),
    st.text(alphabet=st.sampled_from(ALPHABET), max_size=24),
)


def editable_text(model) -> list[models.Field]:
    """Text an editor types: not slugs, URLs or choices (those are checked formats)."""
    return [
        field
        for field in text_fields(model)
        if not isinstance(field, models.SlugField | models.URLField) and not field.choices
    ]


@pytest.fixture
def world():
    eu = f.jurisdiction(code="eu", name="European Union", short_name="EU")
    topic = f.topic(slug="exemptions")
    component = f.component(slug="weights")
    condition = f.condition(slug="monetised")
    act = f.instrument(jurisdiction=eu, slug="ai-act")
    other = f.instrument(jurisdiction=eu, slug="other-act")
    provision = f.provision(
        instrument=act,
        slug="art-53",
        topics=[topic],
        components=[component],
        conditions=[condition],
    )
    draft = f.provision(instrument=act, slug="art-54", state=EditorialState.DRAFT, topics=[topic])
    source = f.source()
    argument = f.argument(
        source=source, provisions=[provision], topics=[topic], components=[component]
    )
    silence = f.silence(jurisdiction=eu, topics=[topic])
    comparison = f.comparison(jurisdictions=[eu], topics=[topic], is_home=True)
    records = [eu, topic, component, condition, act, provision, draft, source, argument, silence]
    records += [
        comparison,
        f.event(act),
        f.relation(other, "implements", act),
        f.earlier_label(provision, slug="art-52a"),
        *argument.argumentprovision_set.all(),
        *argument.argumenttopic_set.all(),
        *argument.argumentcomponent_set.all(),
    ]
    return {"records": records, "comparison": comparison}


def fill(records, text: str) -> None:
    for record in records:
        for field in editable_text(type(record)):
            setattr(record, field.attname, text[: field.max_length] if field.max_length else text)
        record.save()


def formula_safe(cells) -> list[str]:
    return [c for c in cells if c and c.startswith(FORMULA_PREFIXES)]


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile)
def test_feeds_and_downloads_carry_any_text_safely(world, text):
    fill(world["records"], text)
    client = Client()

    for url in ["/feeds/changes.atom", "/feeds/eu.atom", "/feeds/topics/exemptions.atom"]:
        response = client.get(url)
        assert response.status_code == 200, url
        root = ET.fromstring(response.content)
        for summary in root.iter(f"{ATOM}summary"):
            assert summary.get("type") == "text"

    slug = world["comparison"].slug
    response = client.get(f"/export/compare/{slug}.csv")
    assert response.status_code == 200
    cells = [c for row in csv.reader(io.StringIO(response.content.decode())) for c in row]
    assert not formula_safe(cells)

    response = client.get(f"/export/compare/{slug}.json")
    assert response.status_code == 200
    json.loads(response.content)

    atlas = json.loads(client.get("/export/atlas.json").content)
    if text:
        summaries = [p["summary"] for p in atlas["provisions"]]
        assert summaries == [text], "JSON gives the text back exactly"
    for endpoint in ["jurisdictions", "topics", "instruments", "provisions", "arguments"]:
        response = client.get(f"/api/{endpoint}/")
        assert response.status_code == 200, endpoint
        json.loads(response.content)


@pytest.fixture
def editor_client():
    client = Client()
    client.force_login(make.staff("Editors"))
    return client


def admin_export(client, model: str, file_format: str):
    url = reverse(f"admin:provisions_{model}_export")
    form = client.get(url).context["form"]
    chosen = next(v for v, label in form.fields["format"].choices if label.lower() == file_format)
    data = {"format": chosen, "resource": 0, "export_items": []}
    data.update({name: "on" for name in form.fields if name.startswith(f"{model}resource_")})
    response = client.post(url, data)
    assert response.status_code == 200, (model, file_format)
    return response.content


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile)
def test_the_admin_exports_carry_any_text_safely(world, editor_client, text):
    fill(world["records"], text)
    for model in ("provision", "argument"):
        for file_format, delimiter in (("csv", ","), ("tsv", "\t")):
            content = admin_export(editor_client, model, file_format).decode()
            rows = list(csv.reader(io.StringIO(content), delimiter=delimiter))
            assert not formula_safe([c for row in rows[1:] for c in row])
        book = openpyxl.load_workbook(io.BytesIO(admin_export(editor_client, model, "xlsx")))
        for row in book.active.iter_rows(min_row=2, values_only=True):
            assert not formula_safe([c for c in row if isinstance(c, str)])
        json.loads(admin_export(editor_client, model, "json"))
