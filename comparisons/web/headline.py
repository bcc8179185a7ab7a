"""The one answer a matrix cell leads with.

A cell can hold an exemption, the duties it exempts from and a ban that covers every model
alike: read at a glance, they contradicted each other. So each cell leads with one provision,
chosen by a precedence rule the About page prints (``PRECEDENCE``, in this order):

1. A provision that applies regardless of openness (``Headline.REGARDLESS``: a ban, the dates a
   law applies from) never leads; it is listed under the others, marked so.
2. An editor who finds the rule wrong for a provision marks it ``Headline.LEADS``: among those,
   the rule picks.
3. Otherwise the provision whose treatment comes first in ``PRECEDENCE`` leads: an exemption
   answers "how are open models treated?" better than the duties it lifts; ties go to the
   provision listed first (the matrix's order: jurisdiction, instrument, article).

A cell without provisions leads with its state (silent after review, not yet reviewed …).
"""

from django.db.models import Q

from provisions.models import Headline, Provision, Treatment

# Most direct answer about open models first. Exemptions answer the question outright; a
# restriction aimed at open models comes before a rule that merely does not exempt them; then
# duties, support, studies, definitions and provisions that say nothing on openness.
PRECEDENCE = [
    Treatment.EXEMPTS,
    Treatment.EXEMPTS_CONDITIONALLY,
    Treatment.RESTRICTS,
    Treatment.NO_EXEMPTION,
    Treatment.REQUIRES,
    Treatment.PROMOTES,
    Treatment.STUDIES,
    Treatment.DEFINES,
    Treatment.SILENT,
]
RANK = {value: rank for rank, value in enumerate(PRECEDENCE)}

# Rows of the editors' choices that are not the default: the partial index
# provision_headline_set keeps this query to the few provisions an editor marked.
NOT_BY_RULE = ~Q(headline=Headline.RULE)


def editor_choices() -> dict[int, str]:
    """Per provision an editor marked (leads, or applies regardless of openness), the mark.
    One query, whatever the size of the matrix: only marked provisions are read."""
    return dict(Provision.objects.filter(NOT_BY_RULE).values_list("pk", "headline"))


def answer_first(provision: Provision) -> tuple[int, int]:
    """A sort key that puts the provision answering the question first (the texts side by
    side): an editor's choice, then by ``PRECEDENCE``; rules regardless of openness last."""
    if provision.headline == Headline.REGARDLESS:
        return (2, 0)
    return (
        0 if provision.headline == Headline.LEADS else 1,
        RANK.get(provision.treatment, len(RANK)),
    )


def lead_first(pks: list[int], treatment_of: dict[int, str], marks: dict[int, str]) -> list[int]:
    """A cell's provisions in the order it lists them: the one that leads, the others in their
    order, and those that apply regardless of openness last. The cell leads with the first one
    unless it applies regardless (then every one does)."""
    regardless = [pk for pk in pks if marks.get(pk) == Headline.REGARDLESS]
    candidates = [pk for pk in pks if marks.get(pk) != Headline.REGARDLESS]
    if not candidates:
        return regardless
    chosen = [pk for pk in candidates if marks.get(pk) == Headline.LEADS] or candidates
    position = {pk: index for index, pk in enumerate(pks)}
    lead = min(chosen, key=lambda pk: (RANK.get(treatment_of[pk], len(RANK)), position[pk]))
    return [lead, *(pk for pk in candidates if pk != lead), *regardless]
