"""Editors' text is shown as text: payloads in every field a public page shows stay inert.

Every text field of every published record carries a script, an event handler and an iframe,
each tagged with the field's name; every URL field carries a ``javascript:`` URL (set past the
forms, as an import or a fixture could). Every public page, plain and as htmx, and the search
results must show the payloads escaped and never as markup or as a live link.
"""

import re

import pytest
from django.db import models
from django.test import Client

from comparisons.models import Comparison
from comparisons.web.templatetags.atlas_text import external_url
from provisions.models import (
    Argument,
    ArgumentProvision,
    Component,
    Condition,
    EarlierLabel,
    Instrument,
    InstrumentEvent,
    InstrumentRelation,
    Jurisdiction,
    Provision,
    Silence,
    Source,
    Topic,
)
from tests.builders import published as make
from tests.public_urls import public_urls

MODELS = [
    Jurisdiction, Topic, Component, Condition, Instrument, InstrumentEvent, InstrumentRelation,
    Provision, EarlierLabel, Silence, Source, Argument, ArgumentProvision, Comparison,
]  # fmt: skip
JAVASCRIPT_URL = "javascript:alert(document.cookie)"
# Fields that are identifiers, not prose: a payload there would fail validation anyway.
NOT_PROSE = {"slug", "code", "arxiv_id", "doi", "label"}


def payload(tag: str, room: int) -> str:
    full = f'<script>{tag}</script><img src=x onerror="{tag}()"><iframe src="javascript:{tag}">'
    return full if len(full) <= room else f"<script>{tag}</script>"[:room]


def prose_fields(model):
    for field in model._meta.concrete_fields:
        if isinstance(field, models.URLField):
            yield field, "url"
        elif (
            isinstance(field, models.CharField | models.TextField)
            and not field.choices
            and not isinstance(field, models.SlugField)
            and field.name not in NOT_PROSE
        ):
            yield field, "text"


def poison(obj) -> dict[str, str]:
    """Set every prose field of ``obj`` to a payload tagged with the field; returns tag → field."""
    tags = {}
    for field, kind in prose_fields(type(obj)):
        if kind == "url":
            setattr(obj, field.attname, JAVASCRIPT_URL)
            continue
        tag = f"x{type(obj).__name__[:6]}{field.name.replace('_', '')[:8]}".lower()
        setattr(obj, field.attname, payload(tag, field.max_length or 10_000))
        tags[tag] = f"{type(obj).__name__}.{field.name}"
    obj.save()
    return tags


@pytest.fixture
def poisoned_atlas(db):
    eu = make.jurisdiction(code="eu")
    topic, weights, monetised = make.topic(), make.component(), make.condition()
    act = make.instrument(jurisdiction=eu, official_url="https://example.org/act")
    other = make.instrument(jurisdiction=eu)
    article = make.provision(
        instrument=act,
        topics=[topic],
        components=[weights],
        conditions=[monetised],
    )
    make.earlier_label(article)
    make.event(act, source_url="https://example.org/event")
    make.relation(other, "implements", act, note="note")
    argument = make.argument(provisions=[article], topics=[topic], components=[weights])
    make.silence(jurisdiction=eu, topics=[topic])
    make.comparison(jurisdictions=[eu], topics=[topic], is_home=True)

    tags = {}
    for model in MODELS:
        for obj in model._base_manager.all():
            tags.update(poison(obj))
    return {"tags": tags, "search": ["script", topic.name, argument.title]}


def pages(client):
    urls = public_urls()
    urls += ["/search/?q=xprovisisummary", "/search/?q=script", "/search/?q=onerror"]
    for url in urls:
        for htmx in (False, True):
            response = client.get(url, headers={"HX-Request": "true"} if htmx else {}, follow=True)
            assert response.status_code < 500, url
            if "html" in response["Content-Type"]:
                yield url, response.content.decode()


def test_editors_payloads_are_shown_escaped_and_never_run(poisoned_atlas):
    tags = poisoned_atlas["tags"]
    shown = set()
    for url, body in pages(Client()):
        for tag, field in tags.items():
            assert f"<script>{tag}" not in body, f"{field} unescaped on {url}"
            assert f'onerror="{tag}' not in body, f"{field} unescaped on {url}"
            assert f'<iframe src="javascript:{tag}' not in body, f"{field} unescaped on {url}"
            if f"&lt;script&gt;{tag}" in body:
                shown.add(field)
        links = re.findall(r'(?:href|src|cite|action)\s*=\s*"\s*([^"]*)"', body, flags=re.I)
        live = [link for link in links if re.match(r"\s*(java|vb)script:|\s*data:", link, re.I)]
        assert not live, f"live script URL on {url}: {live}"
    # The test means something only if the pages really show editors' prose.
    for field in [
        "Provision.summary", "Provision.openness_note",
        "Provision.heading", "Instrument.title", "Instrument.summary", "Argument.title",
        "Argument.summary", "Argument.quotation", "Source.title", "Silence.statement",
        "Silence.scope", "InstrumentEvent.description", "Jurisdiction.description",
        "Comparison.introduction", "Topic.name", "ArgumentProvision.note",
    ]:  # fmt: skip
        assert field in shown, f"{field} is not shown on any public page"


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://eur-lex.europa.eu/eli/reg/2024/1689/oj", True),
        ("http://example.org/a?b=c#d", True),
        ("javascript:alert(1)", False),
        ("  JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox(1)", False),
        # A scheme that only resembles https is not a web link (external_url__mutmut_9 also
        # ignored "X" when reading the scheme).
        ("Xhttps://example.org/", False),
        # An address urlsplit cannot read (unclosed IPv6 bracket) gives no link, not a
        # relative one (external_url__mutmut_13 returned "XXXX").
        ("http://[::1/x", False),
        ("https://[example.org/x", False),
        ("//evil.example/x", False),
        ("", False),
        (None, False),
    ],
)
def test_external_url_keeps_only_web_links(url, kept):
    assert external_url(url) == (url.strip() if kept else "")
