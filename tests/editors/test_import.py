"""Bulk import and export of provisions and arguments, CSV and XLSX, from the admin."""

import csv
import io
from unittest.mock import ANY

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from provisions.models import (
    ArgumentProvision,
    EditorialState,
    Provision,
)
from provisions.spreadsheets import ArgumentResource, ProvisionResource
from tests.builders import drafts as make

pytestmark = pytest.mark.django_db

HEADER = [
    "instrument",
    "slug",
    "label",
    "kind",
    "parent",
    "summary",
    "treatment",
    "topics",
    "components",
    "applies_from",
    "ceases_on",
    "state",
]


@pytest.fixture
def ai_act():
    eu = make.jurisdiction(code="eu", name="European Union", short_name="EU")
    instrument = make.instrument(jurisdiction=eu, slug="ai-act", short_title="AI Act")
    make.topic(slug="documentation-duties")
    make.component(slug="weights")
    make.component(slug="licence")
    return instrument


def row(slug, **over):
    values = {
        "instrument": "eu/ai-act",
        "slug": slug,
        "label": slug.replace("art-", "Art. "),
        "kind": "article",
        "parent": "",
        "summary": f"What {slug} says, in our words.",
        "treatment": "exempts_conditionally",
        "topics": "documentation-duties",
        "components": "weights, licence",
        "applies_from": "2025-08-02",
        "ceases_on": "",
        "state": "draft",
    }
    return [values | over for _ in [0]][0]


def as_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def upload(client, model, content: bytes, name="provisions.csv"):
    """Step one of the admin import: upload, and get the preview."""
    opts = model._meta
    import_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_import")
    form = client.get(import_url).context["form"]
    extension = name.rsplit(".", 1)[1]
    index = next(
        value for value, label in form.fields["format"].choices if label.lower() == extension
    )
    data = {"format": index, "import_file": SimpleUploadedFile(name, content)}
    if "resource" in form.fields:
        data["resource"] = 0
    return client.post(import_url, data)


def confirm(client, model, preview):
    opts = model._meta
    assert "confirm_form" in preview.context, "the preview offers no confirmation"
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_process_import"),
        preview.context["confirm_form"].initial,
    )


@pytest.fixture
def editor(client):
    user = make.staff("Editors", "edith")
    client.force_login(user)
    return user


def test_a_good_csv_is_previewed_then_imported_with_its_relations(client, editor, ai_act):
    rows = [row("art-53"), row("art-53-2", parent="art-53", kind="paragraph"), row("art-2-12")]
    preview = upload(client, Provision, as_csv(rows))
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 3
    assert not Provision.objects.exists()  # a preview only

    response = confirm(client, Provision, preview)
    assert response.status_code == 302
    imported = {p.slug: p for p in Provision.objects.all()}
    assert set(imported) == {"art-53", "art-53-2", "art-2-12"}
    assert imported["art-53-2"].parent == imported["art-53"]
    assert {c.slug for c in imported["art-53"].components.all()} == {"weights", "licence"}
    assert imported["art-53"].topics.get().slug == "documentation-duties"
    assert imported["art-53"].history.latest().history_user == editor


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        ({"ceases_on": "2025-01-01"}, "ceases_on", "apply before it ceases"),
        ({"components": "weights, wieghts"}, "components", "Unknown openness components: wieghts"),
        ({"instrument": "eu/ai-akt"}, "instrument", "No instrument “eu/ai-akt”"),
        ({"parent": "art-99"}, "parent", "No provision “art-99”"),
        ({"treatment": "maybe"}, "treatment", "not a valid choice"),
        ({"state": "published"}, "state", "Only reviewers"),
    ],
)
def test_one_bad_row_is_reported_by_its_number_and_nothing_is_imported(
    client, editor, ai_act, bad, field, message
):
    existing = make.provision(instrument=ai_act, slug="art-1", summary="Unchanged.")
    rows = [row("art-53"), row("art-54", **bad), row("art-55"), row("art-1", summary="Changed.")]
    preview = upload(client, Provision, as_csv(rows))
    assert preview.status_code == 200
    result = preview.context["result"]
    if field in ProvisionResource._meta.import_id_fields:
        # The row cannot even be matched to a record: an error for the whole row.
        assert [(n, str(e[0].error)) for n, e in result.row_errors()] == [(2, ANY)]
        assert message in str(result.row_errors()[0][1][0].error)
    else:
        assert [r.number for r in result.invalid_rows] == [2]
        errors = result.invalid_rows[0].field_specific_errors
        assert message in " ".join(errors[field])
        assert not result.row_errors()
    page = preview.content.decode()
    assert message.split("“")[0] in page
    assert "confirm_form" not in preview.context  # nothing to confirm
    assert list(Provision.objects.values_list("slug", flat=True)) == ["art-1"]
    existing.refresh_from_db()
    assert existing.summary == "Unchanged."


def test_the_resource_itself_is_all_or_nothing(ai_act, editor):
    # Scripts that skip the admin's preview get the same guarantee.
    dataset = tablib.Dataset(headers=HEADER)
    for r in [row("art-53"), row("art-54", ceases_on="2025-01-01")]:
        dataset.append([r[h] for h in HEADER])
    result = ProvisionResource().import_data(dataset, dry_run=False, user=editor)
    assert result.has_validation_errors()
    assert not Provision.objects.exists()


def test_a_reviewer_may_import_published_records(client, ai_act):
    client.force_login(make.staff("Reviewers"))
    sourced = {
        "source_url": "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
        "checked_on": "2025-06-01",
        "verification": "official",
    }
    rows = [row("art-53", state="published") | sourced]
    header = [*HEADER, *sourced]
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=header).writeheader()
    csv.DictWriter(out, fieldnames=header).writerows(rows)
    preview = upload(client, Provision, out.getvalue().encode())
    assert not preview.context["result"].has_validation_errors()
    confirm(client, Provision, preview)
    assert Provision.objects.get().state == EditorialState.PUBLISHED


def test_export_then_import_round_trips_with_natural_keys(client, editor, ai_act):
    top = make.provision(instrument=ai_act, slug="art-53")
    make.provision(instrument=ai_act, slug="art-53-2", parent=top, summary="Old words.")
    exported = ProvisionResource().export()
    assert exported.dict[1]["instrument"] == "eu/ai-act"
    assert exported.dict[1]["parent"] == "art-53"

    exported_rows = exported.dict
    exported_rows[1]["summary"] = "New words."
    dataset = tablib.Dataset(headers=exported.headers)
    for r in exported_rows:
        dataset.append([r[h] for h in exported.headers])
    xlsx = dataset.export("xlsx")
    preview = upload(client, Provision, xlsx, name="provisions.xlsx")
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["update"] == 1 and result.totals["skip"] == 1
    confirm(client, Provision, preview)
    assert Provision.objects.get(slug="art-53-2").summary == "New words."
    assert Provision.objects.count() == 2


def test_the_admin_export_page_answers_with_a_file_of_the_provisions(client, editor, ai_act):
    provision = make.provision(instrument=ai_act, slug="art-53-2")
    url = reverse("admin:provisions_provision_export")
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    formats = {label.lower(): value for value, label in form.fields["format"].choices}
    assert {"csv", "xlsx"} <= set(formats)
    data = {"format": formats["csv"]}
    for name, field in form.fields.items():
        if name != "format" and field.initial is not None:
            data[name] = field.initial
    if "resource" in form.fields:
        data["resource"] = 0
    exported = client.post(url, data)
    assert exported.status_code == 200
    assert exported["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [(r["slug"], r["summary"]) for r in rows] == [("art-53-2", provision.summary)]


def test_arguments_import_with_their_links_and_stances(client, editor, ai_act):
    provision = make.provision(instrument=ai_act, slug="art-53-2")
    source = make.source(url="https://arxiv.org/abs/2403.07918")
    dataset = tablib.Dataset(
        headers=[
            "slug",
            "title",
            "stance",
            "evidence_kind",
            "summary",
            "source",
            "provisions",
            "components",
        ]
    )
    dataset.append(
        [
            "marginal-risk",
            "Open weights add little marginal risk",
            "for",
            "analysis",
            "In our words.",
            source.url,
            "eu/ai-act/art-53-2=supports",
            "weights=informs",
        ]
    )
    dataset.append(
        [
            "bad-link",
            "A claim",
            "against",
            "statement",
            "In our words.",
            source.url,
            "eu/ai-act/art-53-2=agrees",
            "",
        ]
    )
    preview = upload(client, ArgumentResource._meta.model, dataset.export("csv").encode(), "a.csv")
    result = preview.context["result"]
    assert [r.number for r in result.invalid_rows] == [2]
    assert "write target=stance" in " ".join(
        result.invalid_rows[0].field_specific_errors["provisions"]
    )
    assert not ArgumentProvision.objects.exists()

    del dataset[1]
    preview = upload(client, ArgumentResource._meta.model, dataset.export("csv").encode(), "a.csv")
    confirm(client, ArgumentResource._meta.model, preview)
    link = ArgumentProvision.objects.get()
    assert (link.provision, link.stance) == (provision, "supports")
    assert link.argument.argumentcomponent_set.get().component.slug == "weights"
    exported = ArgumentResource().export().dict[0]
    assert exported["provisions"] == "eu/ai-act/art-53-2=supports"
    assert exported["source"] == source.url


# Large files ----------------------------------------------------------------------------------


def test_a_file_over_the_byte_cap_is_refused_before_it_is_read(client, editor, ai_act, settings):
    settings.ATLAS_IMPORT_MAX_BYTES = 2_000
    content = as_csv([row(f"art-{n}") for n in range(20)])
    assert len(content) > 2_000
    preview = upload(client, Provision, content)
    assert preview.status_code == 200
    errors = preview.context["form"].errors["import_file"]
    assert any("at most 2.0\xa0KB" in error for error in errors), errors
    assert "confirm_form" not in preview.context


def test_a_small_xlsx_of_many_rows_is_refused_without_reading_them_all(
    client, editor, ai_act, settings
):
    import time

    import openpyxl

    # 40,000 full rows in 1.5 MB: compressed XML repeats well.
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    same = list(row("art-1").values())
    for _ in range(40_000):
        sheet.append(same)
    out = io.BytesIO()
    book.save(out)
    started = time.perf_counter()
    preview = upload(client, Provision, out.getvalue(), name="provisions.xlsx")
    elapsed = time.perf_counter() - started
    errors = preview.context["form"].errors["import_file"]
    limit = settings.ATLAS_IMPORT_MAX_ROWS
    assert any(f"more than {limit} rows" in error for error in errors), errors
    # Counting stops at the cap: the refusal comes at once, not after parsing every row.
    assert len(out.getvalue()) < 2 * 1024 * 1024
    assert elapsed < 5, f"{elapsed:.1f} s"


def test_a_preview_checks_each_row_in_a_few_queries(client, editor, ai_act):
    """The preview's time is mostly its queries' round trips (a row is checked like a form):
    measured at 70-80 ms a row under load with 59 queries a row (the row cap, in settings, is
    what fits in about 10 s). The preview is rolled back, so it writes no history."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    content = as_csv([row(f"art-{n}", parent="art-0" if n else "") for n in range(20)])
    with CaptureQueriesContext(connection) as queries:
        preview = upload(client, Provision, content)
    assert "confirm_form" in preview.context
    history = [q for q in queries.captured_queries if "historical" in q["sql"]]
    assert not history, history[0]["sql"]
    assert len(queries) / 20 <= 40, len(queries)
