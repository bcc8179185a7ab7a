"""What is public, and how it is loaded: the querysets and prefetches the pages, the API and the
downloads read.

Editorial state decides what is public (provisions/models/editorial.py); these add what each
reader needs loaded with it, under one set of ``to_attr`` names, so a view, a serializer and a
template read the same attribute whichever of them loaded the record:

- ``provision.public_texts``: its published texts, in reading order;
- ``provision.public_argument_links``: its links to published arguments;
- ``argument.public_provision_links``, ``argument.topic_links``, ``argument.component_links``:
  an argument's links to public provisions, to questions and to components.

Every relation a public output follows from a published record to another editorial record (a
finding of silence's instruments, a condition's imposing provision, a parent, a successor) goes
through these public querysets too: a published record may point at a draft (a reviewer links
one), and an editor may then change the draft's text at will, without review.
"""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Prefetch

from provisions.models import (
    Argument,
    ArgumentComponent,
    ArgumentProvision,
    ArgumentTopic,
    Instrument,
    ModelProfile,
    ModelSource,
    OpennessRequirement,
    Provision,
    ProvisionText,
    Silence,
)
from provisions.models.editorial import EditorialState

PUBLISHED = EditorialState.PUBLISHED


def published_texts() -> Prefetch:
    """A provision's published texts in reading order, as ``public_texts``."""
    return Prefetch(
        "texts",
        ProvisionText.objects.published().order_by("order", "pk"),
        to_attr="public_texts",
    )


def previewed_texts() -> Prefetch:
    """For an editor's preview, as ``public_texts``: every text not withdrawn, drafts and texts
    in review included, so the draft page shows the words it will publish with."""
    return Prefetch(
        "texts",
        ProvisionText.objects.exclude(state=EditorialState.WITHDRAWN).order_by("order", "pk"),
        to_attr="public_texts",
    )


def public_argument_links(*order: str, preview: bool = False) -> Prefetch:
    """A provision's links to published arguments (with their sources), as
    ``public_argument_links``; in ``order``, else in the order they were made. For an editor's
    ``preview``, links to arguments not withdrawn, drafts included."""
    shown = (
        ArgumentProvision.objects.exclude(argument__state=EditorialState.WITHDRAWN)
        if preview
        else ArgumentProvision.objects.filter(argument__state=PUBLISHED)
    )
    return Prefetch(
        "argument_links",
        shown.select_related("argument__source").order_by(*(order or ("pk",))),
        to_attr="public_argument_links",
    )


def public_provisions():
    """Published provisions of published instruments, with everything the serializer reads."""
    return (
        Provision.objects.public()
        .select_related("instrument__jurisdiction", "parent")
        .prefetch_related(
            "topics", "components", "conditions", public_argument_links(), published_texts()
        )
    )


def public_instruments():
    return Instrument.objects.published().select_related("jurisdiction", "ended_by")


def public_arguments():
    """Published arguments with their source and their links to public provisions, questions
    and components: what the argument page, the API and the download show."""
    return (
        Argument.objects.published()
        .select_related("source")
        .prefetch_related(
            Prefetch(
                "argumentprovision_set",
                ArgumentProvision.objects.filter(provision__in=Provision.objects.public())
                .select_related("provision__instrument__jurisdiction")
                .order_by("pk"),
                to_attr="public_provision_links",
            ),
            Prefetch(
                "argumenttopic_set",
                ArgumentTopic.objects.select_related("topic"),
                to_attr="topic_links",
            ),
            Prefetch(
                "argumentcomponent_set",
                ArgumentComponent.objects.select_related("component"),
                to_attr="component_links",
            ),
        )
    )


def public_model_profiles():
    """Published model profiles with their sources in the order they were added."""
    return ModelProfile.objects.published().prefetch_related(
        Prefetch("sources", ModelSource.objects.order_by("pk"))
    )


def public_silences():
    """Published findings of silence, each with the ids of the questions it speaks to
    (``topic_ids``) and the short titles of the texts it read (``reviewed_titles``), which the
    matrix cells and the jurisdiction page name ("Silent: EO 14179 …")."""
    return Silence.objects.published().annotate(
        topic_ids=ArraySubquery(
            Silence.topics.through.objects.filter(silence_id=OuterRef("pk")).values("topic_id")
        ),
        reviewed_titles=ArraySubquery(
            Instrument.objects.published()
            .filter(silences=OuterRef("pk"))
            .order_by("short_title")
            .values("short_title")
        ),
    )


def public_silence_instruments() -> Prefetch:
    """A finding of silence's published instruments (the texts it read), as ``instruments``."""
    return Prefetch("instruments", public_instruments())


def public_requirements():
    """Conditions on models that public provisions set, each imposed by a public provision: a
    condition whose imposing text is a draft is not the atlas's yet (its citation would be the
    draft's, editable without review)."""
    public = Provision.objects.public()
    return OpennessRequirement.objects.filter(provision__in=public, imposed_by__in=public)
