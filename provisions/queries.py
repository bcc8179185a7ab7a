"""What is public, and how it is loaded: the querysets the API, the downloads and the pages read.

Editorial state decides what is public (provisions/models/editorial.py); these add what each
reader needs loaded with it, under one set of ``to_attr`` names (``public_texts``,
``public_argument_links``, ``public_provision_links``), so a serializer or template reads the same
attribute whichever view loaded the record.
"""

from django.db.models import Prefetch

from provisions.models import (
    Argument,
    ArgumentComponent,
    ArgumentProvision,
    ArgumentTopic,
    Instrument,
    Provision,
    ProvisionText,
)
from provisions.models.editorial import EditorialState

PUBLISHED = EditorialState.PUBLISHED


def public_provisions():
    """Published provisions of published instruments, with everything the serializer reads."""
    return (
        Provision.objects.public()
        .select_related("instrument__jurisdiction", "parent")
        .prefetch_related(
            "topics",
            "components",
            "conditions",
            Prefetch(
                "argument_links",
                ArgumentProvision.objects.filter(argument__state=PUBLISHED).order_by("pk"),
                to_attr="public_argument_links",
            ),
            Prefetch(
                "texts",
                ProvisionText.objects.published().order_by("order", "pk"),
                to_attr="public_texts",
            ),
        )
    )


def public_instruments():
    return Instrument.objects.published().select_related("jurisdiction", "ended_by")


def public_arguments():
    return (
        Argument.objects.published()
        .select_related("source")
        .prefetch_related(
            Prefetch(
                "argumentprovision_set",
                ArgumentProvision.objects.filter(provision__in=Provision.objects.public()).order_by(
                    "pk"
                ),
                to_attr="public_provision_links",
            ),
            Prefetch("argumenttopic_set", ArgumentTopic.objects.select_related("topic")),
            Prefetch(
                "argumentcomponent_set", ArgumentComponent.objects.select_related("component")
            ),
        )
    )
