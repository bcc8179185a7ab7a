"""Hardening, round two: one test per defect a hostile test found, and the extras.

Each test shows what a user (an editor, a feed reader, a spreadsheet user, an operator) would
notice. The partition test (defect 4) is in test_partition.py, the restore corpus (defect 9) in
test_restore_corpus.py.
"""

import csv
import gzip
import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from provisions.models import ArgumentTopic, EditorialState, Provision, Source
from provisions.spreadsheets import ArgumentResource, ProvisionResource
from tests.admin_forms import submit
from tests.builders import drafts as make
from tests.builders import published as f
from tests.prodlike import ROOT

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FORM_FEED = "Article 53\x0cparagraph 2"  # a page break, as text pasted from a PDF brings


def login(group: str) -> Client:
    client = Client()
    client.force_login(make.staff(group))
    return client


@pytest.fixture
def published_world():
    eu = f.jurisdiction(code="eu", name="European Union", short_name="EU")
    act = f.instrument(jurisdiction=eu, slug="ai-act", short_title="AI Act")
    article = f.provision(instrument=act, slug="art-53", label="Art. 53")
    topic = f.topic(slug="exemptions", name="Exemptions")
    article.topics.add(topic)
    f.comparison(jurisdictions=[eu], topics=[topic], is_home=True)
    return {"eu": eu, "act": act, "article": article, "topic": topic}


# --- 1. one control character took down every feed ------------------------------------------


@pytest.mark.parametrize("character", ["\x0c", "\x0b", "\x1b", "\x01"])
def test_an_admin_form_refuses_a_control_character_and_names_the_field(published_world, character):
    draft = f.provision(
        instrument=published_world["act"], slug="art-54", state=EditorialState.DRAFT
    )
    client = login("Editors")
    url = reverse("admin:provisions_provision_change", args=[draft.pk])
    response = submit(client, url, {"summary": f"Before{character}after."})
    assert response.status_code == 200, "the form must come back with an error, not be saved"
    errors = response.context["adminform"].form.errors
    assert "summary" in errors
    assert "control character" in " ".join(errors["summary"])
    draft.refresh_from_db()
    assert character not in draft.summary


def test_tab_newline_and_carriage_return_are_still_welcome(published_world):
    draft = f.provision(
        instrument=published_world["act"], slug="art-54", state=EditorialState.DRAFT
    )
    client = login("Editors")
    url = reverse("admin:provisions_provision_change", args=[draft.pk])
    response = submit(client, url, {"openness_note": "1.\tFirst,\r\nthen second."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.openness_note.replace("\r\n", "\n") == "1.\tFirst,\nthen second."


def test_a_spreadsheet_import_refuses_a_control_character(published_world):
    editor = make.staff("Editors")
    import tablib

    dataset = tablib.Dataset(
        headers=["instrument", "slug", "label", "kind", "summary", "treatment", "state"]
    )
    dataset.append(["eu/ai-act", "art-60", "Art. 60", "article", "Sum\x0cmary", "defines", "draft"])
    result = ProvisionResource().import_data(dataset, dry_run=False, user=editor)
    assert result.has_validation_errors()
    errors = result.invalid_rows[0].field_specific_errors
    assert "control character" in " ".join(errors["summary"])
    assert not Provision.objects.filter(slug="art-60").exists()


def test_feeds_survive_a_control_character_already_in_the_database(client, published_world):
    # Written before the validator existed (or by a script that skipped it).
    Provision.objects.filter(pk=published_world["article"].pk).update(summary=FORM_FEED)
    Provision.history.filter(id=published_world["article"].pk).update(summary=FORM_FEED)
    article = Provision.objects.get(pk=published_world["article"].pk)
    article.heading = "Heading\x1b[31m"
    article.save()
    for url in ["/feeds/changes.atom", "/feeds/eu.atom", "/feeds/topics/exemptions.atom"]:
        response = client.get(url)
        assert response.status_code == 200, url
        feed = ET.fromstring(response.content)  # well-formed XML
        summaries = [entry.findtext(f"{ATOM}summary") for entry in feed.iter(f"{ATOM}entry")]
        # The article is still in the feed, its page break read as a space.
        assert any("Article 53 paragraph 2" in summary for summary in summaries), (url, summaries)


def test_the_admin_xlsx_export_survives_a_control_character_in_a_draft(published_world):
    f.provision(
        instrument=published_world["act"],
        slug="art-99",
        state=EditorialState.DRAFT,
        summary=FORM_FEED,
    )
    client = login("Editors")
    url = reverse("admin:provisions_provision_export")
    form = client.get(url).context["form"]
    xlsx = next(v for v, label in form.fields["format"].choices if label.lower() == "xlsx")
    data = {"format": xlsx, "resource": 0, "export_items": []}
    data.update({name: "on" for name in form.fields if name.startswith("provisionresource_")})
    response = client.post(url, data)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert "Article 53 paragraph 2" in cells


# --- 2. stored XSS in feed readers ------------------------------------------------------------


def test_a_feed_carries_editors_text_as_text_never_as_markup(client, published_world):
    attack = '<img src=x onerror="alert(1)">'
    article = published_world["article"]
    article.summary = f"Summary {attack} end."
    article.save()
    root = ET.fromstring(client.get("/feeds/changes.atom").content)
    entry = root.find(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    # A reader renders type="html" content as markup; text must be declared as text.
    assert summary.get("type", "text") == "text"
    assert attack in summary.text  # the reader shows the characters, it runs nothing


# --- 3. editors changed published content without review -----------------------------------


def test_an_editor_cannot_change_a_source_that_a_published_argument_cites(published_world):
    cited = f.source(title="The real paper", url="https://example.org/real")
    argument = f.argument(source=cited, provisions=[published_world["article"]])
    editor = login("Editors")
    url = reverse("admin:provisions_source_change", args=[cited.pk])
    response = editor.post(
        url,
        {"title": "A fake paper", "url": "https://evil.example/", "verification": "official"},
    )
    assert response.status_code in (302, 403)
    cited.refresh_from_db()
    assert (cited.title, cited.url) == ("The real paper", "https://example.org/real")
    assert "The real paper" in Client().get(argument.get_absolute_url()).content.decode()
    # Nor delete it, nor revert it to an old version from its history page.
    assert editor.post(
        reverse("admin:provisions_source_delete", args=[cited.pk]), {"post": "yes"}
    ).status_code in (302, 403)
    assert Source.objects.filter(pk=cited.pk).exists()

    # A reviewer may; and an editor may still correct a source only drafts cite.
    reviewer = login("Reviewers")
    response = submit(reviewer, url, {"title": "The real paper, 2nd ed."})
    assert response.status_code == 302
    cited.refresh_from_db()
    assert cited.title == "The real paper, 2nd ed."
    draft_only = f.source(title="Draft's paper")
    f.argument(source=draft_only, state=EditorialState.DRAFT)
    response = submit(
        editor,
        reverse("admin:provisions_source_change", args=[draft_only.pk]),
        {"title": "Draft's paper (corrected)"},
    )
    assert response.status_code == 302
    draft_only.refresh_from_db()
    assert draft_only.title == "Draft's paper (corrected)"


# --- 5. CSV formula injection -----------------------------------------------------------------

FORMULA = '=HYPERLINK("https://evil.example","Click")'


def test_the_public_matrix_csv_defuses_formulas_in_every_column(client, published_world):
    act = published_world["act"]
    act.short_title = FORMULA
    act.save()
    published_world["topic"].name = "+SUM(1,2)"
    published_world["topic"].save()
    response = client.get("/export/compare/" + _home_slug() + ".csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    for row in rows[1:]:
        for value in row:
            assert not value or value[0] not in "=+-@\t\r", (value, row)
    assert any("HYPERLINK" in value for row in rows for value in row)


def _home_slug() -> str:
    from comparisons.models import Comparison

    return Comparison.objects.get(is_home=True).slug


@pytest.mark.parametrize("file_format", ["csv", "tsv"])
def test_the_admin_exports_defuse_formulas(published_world, file_format):
    article = published_world["article"]
    article.heading = "@SUM(A1:A9)"
    article.summary = FORMULA
    article.save()
    client = login("Editors")
    url = reverse("admin:provisions_provision_export")
    form = client.get(url).context["form"]
    chosen = next(v for v, label in form.fields["format"].choices if label.lower() == file_format)
    data = {"format": chosen, "resource": 0, "export_items": []}
    data.update({name: "on" for name in form.fields if name.startswith("provisionresource_")})
    response = client.post(url, data)
    assert response.status_code == 200
    delimiter = "\t" if file_format == "tsv" else ","
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=delimiter))
    values = [v for row in rows[1:] for v in row]
    assert "'" + FORMULA in values and "'@SUM(A1:A9)" in values
    assert not any(v and v[0] in "=+-@" for v in values)


def test_an_exported_and_reimported_file_gives_back_the_text_it_defused(published_world):
    # The quote that defuses a formula is not kept as part of the text on the way back in.
    article = published_world["article"]
    article.summary = "-1 is what the draft said."
    article.heading = "=Not a formula"
    article.state = EditorialState.DRAFT
    article.save()
    exported = ProvisionResource().export()
    assert exported.dict[0]["summary"] == "'-1 is what the draft said."
    result = ProvisionResource().import_data(exported, dry_run=False, user=make.staff("Editors"))
    assert not result.has_errors() and not result.has_validation_errors()
    article.refresh_from_db()
    assert (article.summary, article.heading) == ("-1 is what the draft said.", "=Not a formula")


# --- 6. unbounded cache growth ----------------------------------------------------------------


def page_cache_entries() -> int:
    return sum(1 for key in cache._cache if ":page:" in key)


def test_unknown_parameters_never_create_page_cache_entries(client, published_world):
    assert client.get("/").status_code == 200
    before = page_cache_entries()
    for n in range(20):
        assert client.get(f"/?utm_source={n}").status_code == 200
        assert client.get(f"/eu/ai-act/art-53/?fbclid={n}").status_code == 200
        assert client.get(f"/?j=nowhere{n}").status_code == 200  # an unknown value
    assert page_cache_entries() <= before + 1  # the provision page, once


def test_a_valid_query_still_comes_from_the_cache(client, published_world):
    first = client.get("/?j=eu")
    with_cache = page_cache_entries()
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/?j=eu&utm_source=mail")
    assert response.status_code == 200
    assert response.content == first.content  # the EU page, as cached
    assert len(queries) == 1  # the data version; the page itself came from the cache
    assert page_cache_entries() == with_cache


# --- 7. large admin imports -------------------------------------------------------------------


def test_an_import_over_the_row_cap_is_refused_with_a_message(settings, published_world):
    settings.ATLAS_IMPORT_MAX_ROWS = 5
    client = login("Editors")
    header = ["instrument", "slug", "label", "kind", "summary", "treatment", "state"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for n in range(6):
        writer.writerow(
            ["eu/ai-act", f"art-{n + 100}", f"Art. {n}", "article", "S.", "defines", "draft"]
        )
    import_url = reverse("admin:provisions_provision_import")
    form = client.get(import_url).context["form"]
    csv_format = next(v for v, label in form.fields["format"].choices if label.lower() == "csv")
    response = client.post(
        import_url,
        {
            "format": csv_format,
            "resource": 0,
            "import_file": SimpleUploadedFile("big.csv", out.getvalue().encode()),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "more than 5 rows" in page and "at most 5" in page
    assert "confirm_form" not in response.context
    assert not Provision.objects.filter(slug__startswith="art-10").exists()


# --- 8. nondeterministic output order ---------------------------------------------------------


def test_argument_links_come_out_in_the_same_order_whatever_the_row_order(published_world):
    topics = [f.topic(slug=f"t{n}") for n in range(4)]
    argument = f.argument(topics=topics, provisions=[published_world["article"]])
    # An UPDATE writes a new row version at the end of the table: physical order changes.
    first = ArgumentTopic.objects.filter(argument=argument).order_by("pk").first()
    first.note = "Touched."
    first.save()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off")
        api = Client().get(f"/api/arguments/{argument.pk}/").json()
        exported = ArgumentResource().export().dict[0]
    assert [t["topic"] for t in api["topics"]] == ["t0", "t1", "t2", "t3"]
    assert exported["topics"].split("; ")[0].startswith("t0=")


# --- 10. the health check behind any ALLOWED_HOSTS, and HEAD --------------------------------


def test_healthz_answers_whatever_the_host_and_to_head(settings):
    settings.ALLOWED_HOSTS = ["atlas.example.org"]
    client = Client()
    assert client.get("/healthz", HTTP_HOST="127.0.0.1").status_code == 200
    assert client.get("/healthz", HTTP_HOST="172.17.0.5:8000").status_code == 200
    head = client.head("/healthz", HTTP_HOST="127.0.0.1")
    assert head.status_code == 200 and head.content == b""
    assert client.post("/healthz", HTTP_HOST="127.0.0.1").status_code == 405
    # Other pages still refuse an unknown host.
    assert client.get("/", HTTP_HOST="127.0.0.1").status_code == 400


# --- also noticed -----------------------------------------------------------------------------


def test_spraying_one_password_across_usernames_from_one_address_is_throttled(settings):
    for n in range(settings.AXES_FAILURE_LIMIT + 2):
        User.objects.create_user(f"person{n}", password="a strong password " * 2)
    client = Client(REMOTE_ADDR="198.51.100.9")
    statuses = []
    for n in range(settings.AXES_FAILURE_LIMIT + 2):
        response = client.post(
            f"/{settings.ADMIN_URL}login/",
            {"username": f"person{n}", "password": "Summer2026!", "next": "/"},
        )
        statuses.append(response.status_code)
    assert statuses[-1] == 429, statuses
    # Someone else, elsewhere, logs in as usual.
    other = Client(REMOTE_ADDR="192.0.2.44")
    User.objects.create_user("elsewhere", password="a strong password " * 2, is_staff=True)
    response = other.post(
        f"/{settings.ADMIN_URL}login/",
        {"username": "elsewhere", "password": "a strong password " * 2, "next": "/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"  # where she asked to go, logged in
    assert "_auth_user_id" in other.session


@pytest.mark.parametrize(
    ("declared", "trusted"), [(None, "None"), ("false", "None"), ("true", "HTTP_X_FORWARDED_PROTO")]
)
def test_x_forwarded_proto_is_trusted_only_when_a_proxy_is_declared(declared, trusted):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "s" * 60,
        "DJANGO_ALLOWED_HOSTS": "atlas.example.org",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    }
    if declared is not None:
        env["DJANGO_PROXY_SETS_X_FORWARDED_PROTO"] = declared
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print((settings.SECURE_PROXY_SSL_HEADER or [None])[0])",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == trusted


@pytest.mark.parametrize(
    "accept", ["gzip;q=0, identity", "identity", "gzip; q=0.0", "*;q=0, identity", "br"]
)
def test_the_page_cache_sends_gzip_only_to_clients_that_take_it(client, published_world, accept):
    client.get("/", headers={"Accept-Encoding": "gzip"})  # fills the cache
    response = client.get("/", headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.get("Content-Encoding") is None
    assert b"<html" in response.content


def test_the_page_cache_still_sends_gzip_when_asked(client, published_world):
    client.get("/")
    response = client.get("/", headers={"Accept-Encoding": "br;q=1, gzip;q=0.5"})
    assert response["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.content)


@pytest.mark.parametrize("method", ["options", "trace", "post", "put", "delete"])
@pytest.mark.parametrize(
    "url", ["/feeds/changes.atom", "/feeds/eu.atom", "/sitemap.xml", "/changes/"]
)
def test_feeds_and_the_sitemap_answer_only_get_and_head(client, published_world, method, url):
    response = getattr(Client(enforce_csrf_checks=False), method)(url)
    assert response.status_code == 405, (method, url)
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


def test_every_public_page_answers_only_get_and_head(published_world):
    """TRACE and OPTIONS are no way to read a page: 405, with the methods that are. (The API's
    OPTIONS is Django REST framework's description of an endpoint, and stays.)"""
    from tests.public_urls import public_urls

    client = Client()
    answered = {}
    for url in public_urls():
        if url.startswith("/api/"):
            continue
        for method in ("options", "trace"):
            response = getattr(client, method)(url)
            answered[(method, url)] = (response.status_code, response.get("Allow"))
    wrong = {key: value for key, value in answered.items() if value[0] != 405}
    assert not wrong, wrong
    assert "/about/" in {url for _, url in answered}
