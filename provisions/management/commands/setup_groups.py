"""Create (or bring up to date) the Editors and Reviewers groups. Safe to run again."""

from django.contrib.auth.models import Group, Permission
from django.core.management import BaseCommand

# Records with an editorial state, and the parts edited with them (inlines).
CURATED = [
    "provisions.instrument",
    "provisions.provision",
    "provisions.provisiontext",
    "provisions.silence",
    "provisions.argument",
    "provisions.source",
    "provisions.modelprofile",
    "comparisons.comparison",
]
PARTS = [
    "provisions.instrumentevent",
    "provisions.instrumentrelation",
    "provisions.earlierlabel",
    "provisions.argumentprovision",
    "provisions.argumenttopic",
    "provisions.argumentcomponent",
    "comparisons.comparisoncolumn",
    "provisions.modelsource",
    "provisions.opennessrequirement",
]
# The axes of the atlas: no editorial state, public as soon as saved, so Reviewers keep them.
AXES = [
    "provisions.jurisdiction",
    "provisions.topic",
    "provisions.component",
    "provisions.condition",
]
# Old URLs of renamed records: written by the renames themselves; Reviewers may correct them.
REDIRECTS = ["provisions.movedpath"]
# The latest answer of each outside link, written by `manage.py check_links`.
LINK_CHECKS = ["provisions.linkcheck"]
# Search's synonym groups: data kept by editors, public as soon as saved, with no
# editorial state. Editors add and change them like curated records; Reviewers also delete.
SYNONYMS = ["provisions.searchsynonym"]
PUBLISHABLE = [
    "provisions.instrument",
    "provisions.provision",
    "provisions.provisiontext",
    "provisions.silence",
    "provisions.argument",
    "provisions.modelprofile",
    "comparisons.comparison",
]


def codenames(models, actions):
    for model in models:
        app_label, model_name = model.split(".")
        for action in actions:
            yield app_label, f"{action}_{model_name}"


def editor_permissions():
    yield from codenames(CURATED + SYNONYMS, ["add", "change", "view"])
    yield from codenames(PARTS, ["add", "change", "delete", "view"])
    yield from codenames(AXES + REDIRECTS + LINK_CHECKS, ["view"])


def reviewer_permissions():
    yield from codenames(
        CURATED + PARTS + AXES + REDIRECTS + LINK_CHECKS + SYNONYMS,
        ["add", "change", "delete", "view"],
    )
    yield from codenames(PUBLISHABLE, ["publish"])


GROUPS = {"Editors": editor_permissions, "Reviewers": reviewer_permissions}


class Command(BaseCommand):
    help = (
        "Create the Editors group (create and change drafts, submit them for review) and the "
        "Reviewers group (also publish, withdraw, delete, and edit jurisdictions and topics)."
    )

    def handle(self, *args, **options):
        for name, permissions in GROUPS.items():
            wanted = list(permissions())
            found = Permission.objects.filter(
                content_type__app_label__in={app for app, _ in wanted},
                codename__in={codename for _, codename in wanted},
            ).select_related("content_type")
            found = [p for p in found if (p.content_type.app_label, p.codename) in set(wanted)]
            missing = set(wanted) - {(p.content_type.app_label, p.codename) for p in found}
            if missing:
                raise SystemExit(f"Permissions missing (run migrate first): {sorted(missing)}")
            group, created = Group.objects.get_or_create(name=name)
            group.permissions.set(found)
            self.stdout.write(
                f"{'Created' if created else 'Updated'} group {name}: {len(found)} permissions."
            )
