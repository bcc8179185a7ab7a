"""No draft text reaches a public output, whichever published record it hangs from.

The shipped dataset, plus drafts tied to published records in every way an editor or reviewer
can tie them (a draft instrument among a published finding of silence's readings, a draft
provision imposing a published provision's condition on models, a draft parent, successor,
related instrument, argument, text, model profile). Nothing new is published. Then every text
field of every record that is not published becomes a marker, a draft's slug is renamed (an
editor's save, so the rename rules run), and every public output is walked: each page the sitemap
lists and each public URL (tests/public_urls.py), the API's lists page by page and its records,
feeds, downloads, atlas.json, search, 404 suggestions and the old URLs of renamed records. No
marker may appear in a body or a Location header.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import DataError, IntegrityError, models, transaction
from django.test import Client

from provisions.models import (
    ArgumentProvision,
    EditorialState,
    Instrument,
    InstrumentRelation,
    ModelProfile,
    OpennessRequirement,
    Provision,
    Silence,
)
from tests.builders import drafts as make
from tests.public_urls import public_urls, withdrawn_urls

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]

MARKER = "zqdraftmarker"
PUBLISHED, DRAFT = EditorialState.PUBLISHED, EditorialState.DRAFT


def editorial_models() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if "state" in names and not model.__name__.startswith("Historical"):
            found.append(model)
    return found


def tie_drafts_to_published_records() -> dict:
    """Drafts that published records point at (or that point at published records), none of
    them changing what is published."""
    act = Instrument.objects.published().get(jurisdiction__code="eu", slug="ai-act")
    draft_law = make.instrument(jurisdiction=act.jurisdiction, slug="draft-law")
    draft_article = make.provision(instrument=act, slug="art-998", label="Art. 998")
    make.provision(instrument=draft_law, slug="art-1", label="Art. 1")
    # A reviewer lists a draft instrument among those a published finding of silence read.
    silence = Silence.objects.published().first()
    silence.instruments.add(draft_law)
    # A published provision's condition on models, imposed by a draft provision.
    requirement = OpennessRequirement.objects.filter(
        provision__in=Provision.objects.public()
    ).first()
    requirement.imposed_by = draft_article
    requirement.save()
    # A draft parent, a draft successor, a draft related instrument.
    child = Provision.objects.public().filter(instrument=act).exclude(pk=draft_article.pk).last()
    Provision.objects.filter(pk=child.pk).update(parent=draft_article)
    ended = Instrument.objects.published().exclude(pk=act.pk).first()
    Instrument.objects.filter(pk=ended.pk).update(ended_by=draft_law)
    InstrumentRelation.objects.create(source=act, kind="amends", target=draft_law)
    # A draft argument on a published provision, a draft text of it, a draft model profile.
    argument = make.argument(provisions=[requirement.provision])
    assert ArgumentProvision.objects.filter(argument=argument).exists()
    make.text(provision=requirement.provision, body="1. A draft text.", state=DRAFT)
    ModelProfile.objects.create(
        slug="draft-model", name="Draft model", provider="Lab", licence_name="MIT", state=DRAFT
    )
    return {"act": act, "draft_article": draft_article}


def mark_every_draft() -> list[str]:
    """Every text field of every record not published becomes the marker; returns the URLs the
    renamed drafts had before (they must not become redirects)."""
    old_urls = []
    for model in editorial_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not f.choices
            and f.name != "language"
        ]
        for obj in model._base_manager.exclude(state=PUBLISHED):
            if hasattr(obj, "get_absolute_url") and model in (Provision, Instrument):
                old_urls.append(obj.get_absolute_url())
            for field in fields:
                if isinstance(field, models.URLField):
                    value = f"https://{MARKER}.example/{obj.pk}"
                elif field.name == "slug":
                    value = f"{MARKER}-{obj.pk}"
                else:
                    value = f"{MARKER} {obj.pk}"
                if field.max_length and len(value) > field.max_length:
                    continue
                setattr(obj, field.attname, value)
            try:
                with transaction.atomic():
                    obj.save()  # an editor's save: renames and history run
            except (IntegrityError, DataError) as error:  # pragma: no cover - says which
                raise AssertionError(f"cannot mark {model.__name__} {obj.pk}: {error}") from None
    return old_urls


def sitemap_paths(client) -> set[str]:
    found, pending = set(), ["/sitemap.xml"]
    while pending:
        body = client.get(pending.pop()).content.decode()
        for loc in re.findall(r"<loc>([^<]+)</loc>", body):
            split = urlsplit(loc)
            path = split.path + (f"?{split.query}" if split.query else "")
            if path.endswith(".xml"):
                pending.append(path)  # a sitemap index's part
            else:
                found.add(path)
    return found


def api_pages(client, url: str) -> list[str]:
    """A list endpoint's pages, following ``next``."""
    pages, next_url = [], url
    while next_url:
        pages.append(next_url)
        next_url = client.get(next_url).json().get("next")
        if next_url:
            split = urlsplit(next_url)
            next_url = split.path + f"?{split.query}"
    return pages


def test_no_draft_text_reaches_any_public_output():
    tied = tie_drafts_to_published_records()
    old_urls = mark_every_draft()
    client = Client()

    urls = set(public_urls()) | sitemap_paths(client) | withdrawn_urls()
    for kind in ("jurisdictions", "topics", "instruments", "provisions", "arguments", "models"):
        urls.update(api_pages(client, f"/api/{kind}/"))  # each list, page by page
    urls |= {
        "/compare/world/",
        "/models/check/?licence=apache-2.0&weights=open&compute=1e26",
        "/models/export.json",
        "/models/export.csv",
        "/export/atlas.json",
        f"/search/?q={MARKER}",
        f"/api/search?q={MARKER}",
        "/search/?q=draft+law",
        "/api/search?q=art+998",
        # Provision-like 404s list the nearest provisions.
        f"{tied['act'].get_absolute_url()}art-997/",
        f"{tied['act'].get_absolute_url()}art-999-1/",
        "/eu/draft-law/",
    }
    urls |= set(old_urls)
    leaks = {}
    for url in sorted(urls):
        if MARKER in url:
            continue
        response = client.get(url)
        assert response.status_code < 500, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        where = [
            what
            for what, text in (
                ("body", body.decode("utf-8", "replace")),
                ("Location", response.get("Location", "")),
            )
            if MARKER in text.lower()
        ]
        if where:
            leaks[url] = (response.status_code, where)
    print(f"draft walk: {len(urls)} URLs, {len(leaks)} with a marker")  # for the record (-s)
    assert len(urls) > 300  # the walk reached the whole atlas
    assert not leaks, "\n".join(f"{url} {found}" for url, found in sorted(leaks.items()))
