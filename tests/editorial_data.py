"""Small builders of valid curated records for the admin, workflow and constraint tests.

Each returns a saved record; keyword arguments override the defaults. Not the dataset: the
dataset is in fixtures/ and these records exist only inside a test's transaction.
"""

import datetime
import io
import itertools
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from comparisons.models import Comparison, ComparisonColumn
from provisions.models import (
    Argument,
    ArgumentComponent,
    ArgumentProvision,
    ArgumentTopic,
    Component,
    Condition,
    EarlierLabel,
    EditorialState,
    Instrument,
    InstrumentEvent,
    InstrumentRelation,
    Jurisdiction,
    LegalStatus,
    LinkCheck,
    ModelProfile,
    ModelSource,
    MovedPath,
    OpennessRequirement,
    Provision,
    ProvisionText,
    SearchSynonym,
    Silence,
    Source,
    Topic,
    Verification,
)


@pytest.fixture(autouse=True)
def unhashed_static_files(settings):
    """The admin's templates ask for static files; tests run without collectstatic's manifest.

    Imported by the admin test modules (an autouse fixture applies where it is imported).
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Test accounts need no slow hashing (PBKDF2 costs a second and a half per user).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_n = itertools.count(1)
CHECKED = datetime.date(2025, 6, 1)
SOURCED = {
    "source_url": "https://example.org/official-text",
    "checked_on": CHECKED,
    "verification": Verification.OFFICIAL,
}


def jurisdiction(**kw) -> Jurisdiction:
    n = next(_n)
    kw = {"code": f"j{n}", "name": f"Jurisdiction {n}", "short_name": f"J{n}"} | kw
    return Jurisdiction.objects.create(**kw)


def instrument(**kw) -> Instrument:
    n = next(_n)
    if "jurisdiction" not in kw:
        kw["jurisdiction"] = jurisdiction()
    kw = {
        "slug": f"act-{n}",
        "title": f"Act number {n}",
        "short_title": f"Act {n}",
        "kind": Instrument.Kind.LAW,
        "binding": True,
        "status": LegalStatus.IN_FORCE,
        "proposed_on": datetime.date(2021, 4, 21),
        "adopted_on": datetime.date(2024, 6, 13),
        "in_force_on": datetime.date(2024, 8, 1),
    } | kw
    return Instrument.objects.create(**kw)


def provision(**kw) -> Provision:
    n = next(_n)
    if "instrument" not in kw:
        kw["instrument"] = instrument()
    kw = {
        "kind": Provision.Kind.ARTICLE,
        "label": f"Art. {n}",
        "slug": f"art-{n}",
        "summary": "What it says, in our words.",
        "treatment": "exempts",
        "order": n,
    } | kw
    return Provision.objects.create(**kw)


def text(**kw) -> ProvisionText:
    if "provision" not in kw:
        kw["provision"] = provision()
    kw = {
        "language": "en",
        "kind": ProvisionText.Kind.AUTHENTIC,
        "version_label": "Original",
        "body": "1. Words.",
    } | kw
    return ProvisionText.objects.create(**kw)


def earlier_label(**kw) -> EarlierLabel:
    n = next(_n)
    if "provision" not in kw:
        kw["provision"] = provision()
    kw = {"label": f"Art. {n}x", "slug": f"art-{n}x", "text_version": "Draft, 2 Feb 2024"} | kw
    return EarlierLabel.objects.create(**kw)


def topic(**kw) -> Topic:
    n = next(_n)
    return Topic.objects.create(
        **{"slug": f"topic-{n}", "name": f"Topic {n}", "question": f"Question {n}?"} | kw
    )


def component(**kw) -> Component:
    n = next(_n)
    return Component.objects.create(**{"slug": f"component-{n}", "name": f"Component {n}"} | kw)


def condition(**kw) -> Condition:
    n = next(_n)
    return Condition.objects.create(**{"slug": f"condition-{n}", "name": f"Condition {n}"} | kw)


def source(**kw) -> Source:
    n = next(_n)
    return Source.objects.create(
        **{"title": f"Paper {n}", "authors": "A. Author", "url": f"https://example.org/p{n}"} | kw
    )


def argument(**kw) -> Argument:
    n = next(_n)
    if "source" not in kw:
        kw["source"] = source()
    kw = {
        "slug": f"argument-{n}",
        "title": f"Claim {n}",
        "stance": "for",
        "evidence_kind": "empirical",
        "summary": "The claim, in our words.",
    } | kw
    return Argument.objects.create(**kw)


def silence(**kw) -> Silence:
    if "jurisdiction" not in kw:
        kw["jurisdiction"] = jurisdiction()
    kw = {
        "statement": "No regulation mentions open-source models.",
        "scope": "Every regulation of the period, read in full.",
        "reviewed_on": CHECKED,
    } | kw
    return Silence.objects.create(**kw)


def comparison(**kw) -> Comparison:
    n = next(_n)
    return Comparison.objects.create(**{"slug": f"comparison-{n}", "title": f"Matrix {n}"} | kw)


def model_profile(provision: Provision) -> ModelProfile:
    """A model profile with a source, and one openness condition on ``provision``."""
    n = next(_n)
    profile = ModelProfile.objects.create(
        slug=f"model-{n}",
        name=f"Model {n}",
        provider="Lab",
        provider_country="Nowhere",
        licence_name="Apache-2.0",
    )
    ModelSource.objects.create(
        profile=profile,
        title="Model card",
        url="https://example.org/card",
        checked_on=CHECKED,
        verification="official",
        facts=["licence", "weights"],
    )
    OpennessRequirement.objects.create(
        provision=provision, kind="compute_at_most", threshold=1e25 + n, imposed_by=provision
    )
    return profile


def whole_world(rows: int) -> None:
    """``rows`` records of every model, linked to each other, for query-count tests."""
    j = jurisdiction(parent=jurisdiction())
    comp = comparison()
    ComparisonColumn.objects.create(comparison=comp, jurisdiction=j)
    previous = None
    for _ in range(rows):
        inst = instrument(jurisdiction=j, state=EditorialState.PUBLISHED, **SOURCED)
        InstrumentEvent.objects.create(instrument=inst, date=CHECKED, description="Applies")
        if previous:
            InstrumentRelation.objects.create(source=inst, kind="amends", target=previous)
        parent = provision(instrument=inst, state=EditorialState.PUBLISHED, **SOURCED)
        p = provision(instrument=inst, parent=parent)
        t, c = topic(), component()
        p.topics.add(t)
        p.components.add(c)
        p.conditions.add(condition())
        earlier_label(provision=p)
        ProvisionText.objects.create(
            provision=p, language="en", kind="authentic", version_label="Original", body="1. Words."
        )
        a = argument()
        ArgumentProvision.objects.create(argument=a, provision=p, stance="supports")
        ArgumentTopic.objects.create(argument=a, topic=t, stance="informs")
        ArgumentComponent.objects.create(argument=a, component=c, stance="challenges")
        s = silence(jurisdiction=j)
        s.instruments.add(inst)
        s.topics.add(t)
        comp.topics.add(t)
        MovedPath.objects.create(old_path=f"/old/{inst.pk}/", new_path=inst.get_absolute_url())
        SearchSynonym.objects.create(terms=f"term {inst.pk}\nanother term {inst.pk}")
        LinkCheck.objects.create(
            url=f"https://example.org/checked/{inst.pk}", checked_at=timezone.now(), status=200
        )
        model_profile(p)
        previous = inst


class _FormScraper(HTMLParser):
    """What a browser would submit from the admin's main form, as the page was served."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if a.get("type") in ("checkbox", "radio") else ""
            self.data.setdefault(name, []).append(a.get("value", default))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea:
                self.data[self._textarea][0] = self.data[self._textarea][0].removeprefix("\n")
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def form_data(response, **changes) -> dict:
    """The POST data of the page's form, with ``changes`` applied (as a crafted request could)."""
    scraper = _FormScraper()
    scraper.feed(response.content.decode())
    data = {k: (v if len(v) != 1 else v[0]) for k, v in scraper.data.items()}
    data.pop("csrfmiddlewaretoken", None)
    data = {k: v for k, v in data.items() if v != []}
    data.update(changes)
    return data


def staff(group: str, username: str | None = None):
    """A staff account in ``group`` ("Editors" or "Reviewers"), groups set up as in production."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    if not Group.objects.filter(name=group).exists():
        call_command("setup_groups", stdout=io.StringIO())
    user = User.objects.create_user(username or f"{group.lower()}-{next(_n)}", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user
