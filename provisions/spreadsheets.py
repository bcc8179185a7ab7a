"""CSV/XLSX import and export of provisions and arguments (django-import-export).

Rows name related records by what editors know, not by database ids: an instrument as
``<jurisdiction code>/<instrument slug>`` (``eu/ai-act``), a provision as
``eu/ai-act/art-53-2``, topics, components and conditions by their slugs, a source by its URL.

An import is all or nothing: every row is validated like the admin form (``full_clean``), and
one bad row rolls the whole file back. An editor can import drafts and records in review only;
publishing stays with Reviewers.
"""

import csv
import io
import itertools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import CharField, TextField
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from provisions.models import (
    Argument,
    ArgumentComponent,
    ArgumentProvision,
    ArgumentTopic,
    Component,
    Condition,
    Instrument,
    LinkStance,
    Provision,
    Source,
    Topic,
)
from provisions.models.arguments import ARGUMENT_FIELDS
from provisions.models.editorial import LOCKED, SOURCED_FIELDS, can_publish
from provisions.models.provisions import MEANING_FIELDS
from provisions.plaintext import spreadsheet_safe, spreadsheet_text, xml_safe


class InstrumentWidget(widgets.ForeignKeyWidget):
    """``eu/ai-act`` ⇄ the AI Act."""

    def __init__(self, **kwargs):
        super().__init__(Instrument, **kwargs)

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return None
        code, _slash, slug = value.partition("/")
        try:
            return Instrument.objects.select_related("jurisdiction").get(
                jurisdiction__code=code, slug=slug
            )
        except Instrument.DoesNotExist:
            raise ValueError(
                _(
                    "No instrument “%(value)s”: write jurisdiction code/instrument slug, "
                    "e.g. eu/ai-act."
                )
                % {"value": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return f"{value.jurisdiction.code}/{value.slug}" if value else ""


class ParentWidget(widgets.ForeignKeyWidget):
    """The slug of the parent provision, in the row's own instrument."""

    def __init__(self, **kwargs):
        super().__init__(Provision, field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return None
        instrument = InstrumentWidget().clean(row.get("instrument"))
        try:
            return Provision.objects.get(instrument=instrument, slug=value)
        except Provision.DoesNotExist:
            raise ValueError(
                _("No provision “%(slug)s” in %(instrument)s.")
                % {"slug": value, "instrument": row.get("instrument")}
            ) from None


class SlugsWidget(widgets.ManyToManyWidget):
    """``weights, training-data`` ⇄ those components; an unknown slug is an error, not skipped."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="slug", separator=",", **kwargs)

    def clean(self, value, row=None, **kwargs):
        slugs = [s.strip() for s in str(value or "").split(",") if s.strip()]
        found = self.model.objects.filter(slug__in=slugs)
        if missing := sorted(set(slugs) - {obj.slug for obj in found}):
            raise ValueError(
                _("Unknown %(what)s: %(slugs)s.")
                % {"what": self.model._meta.verbose_name_plural, "slugs": ", ".join(missing)}
            )
        return found


class TooManyRows(ValueError):
    """A file longer than an import can check before the server's request timeout."""

    def __init__(self, rows: int | None, limit: int):
        if rows is None:  # counting stopped at the cap
            message = _(
                "This file has more than %(limit)d rows; an import takes at most %(limit)d at a "
                "time (each row is checked like a form). Split it into smaller files."
            ) % {"limit": limit}
        else:
            message = _(
                "This file has %(rows)d rows; an import takes at most %(limit)d at a time "
                "(each row is checked like a form). Split it into smaller files."
            ) % {"rows": rows, "limit": limit}
        super().__init__(message)


def check_row_count(dataset) -> None:
    limit = settings.ATLAS_IMPORT_MAX_ROWS
    if len(dataset) > limit:
        raise TooManyRows(len(dataset), limit)


def check_streamed_row_count(data, binary: bool) -> None:
    """Refuse a file of more rows than the cap while reading it row by row, before it is parsed
    whole: a 1 MB XLSX can hold 300,000 rows, and parsing them all outlasts the request."""
    limit = settings.ATLAS_IMPORT_MAX_ROWS
    if binary:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            rows = book.active.iter_rows(values_only=True)
            counted = sum(1 for _row in itertools.islice(rows, limit + 2))
        finally:
            book.close()
    else:
        text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
        rows = csv.reader(io.StringIO(text))
        counted = sum(1 for _row in itertools.islice(rows, limit + 2))
    if counted - 1 > limit:  # the first row names the columns
        raise TooManyRows(None, limit)


class EditorialResource(resources.ModelResource):
    """Shared by both resources: atomic imports, model validation, the publishing rule; and
    exports whose text opens safely in a spreadsheet (and comes back as it was)."""

    def import_data(self, dataset, *args, **kwargs):
        check_row_count(dataset)
        # One bad row rolls back every row, whoever calls (admin preview, confirm, or a script).
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, *args, **kwargs)

    def export_field(self, field, instance, **kwargs):
        # Every format the admin offers may end up in a spreadsheet: no formulas, and nothing
        # XML (XLSX, ODS) cannot carry.
        return spreadsheet_safe(xml_safe(super().export_field(field, instance, **kwargs)))

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            row[column] = spreadsheet_text(value)
        super().before_import_row(row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        # A preview's rows are rolled back: writing their history too cost a third of its
        # queries (simple-history reloads the record for each many-to-many version).
        if kwargs.get("dry_run"):
            instance.skip_history_when_saving = True
        super().before_save_instance(instance, row, **kwargs)

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._state_before_import = None if new else instance.state

    def import_instance(self, instance, row, **kwargs):
        # Relations are saved only after the row; check them now so a bad one is a row error.
        errors = self.check_relations(row)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in instance._meta.concrete_fields:
            # An empty spreadsheet cell reads as None; text columns store "" for "nothing".
            text = isinstance(field, CharField | TextField) and not field.null
            if text and getattr(instance, field.attname) is None:
                setattr(instance, field.attname, "")
        user = kwargs.get("user")
        if (instance.state in LOCKED or instance._state_before_import in LOCKED) and not (
            user is not None and can_publish(user, type(instance))
        ):
            errors.setdefault("state", []).append(
                ValidationError(
                    _(
                        "Only reviewers import published or withdrawn records, or change "
                        "published ones; import it as draft or in_review."
                    )
                )
            )
        if errors:
            raise ValidationError(errors)

    def check_relations(self, row) -> dict:
        errors = {}
        for name, field in self.fields.items():
            if field.column_name not in row:
                continue
            try:
                if isinstance(field, LinksField):
                    field.parse(row[field.column_name])
                elif isinstance(field.widget, widgets.ManyToManyWidget):
                    field.clean(row)
            except ValueError as error:
                errors[name] = [ValidationError(str(error))]
        return errors


class ProvisionResource(EditorialResource):
    instrument = fields.Field("instrument", "instrument", InstrumentWidget())
    parent = fields.Field("parent", "parent", ParentWidget())
    conditions = fields.Field("conditions", "conditions", SlugsWidget(Condition))
    components = fields.Field("components", "components", SlugsWidget(Component))
    topics = fields.Field("topics", "topics", SlugsWidget(Topic))

    class Meta:
        model = Provision
        import_id_fields = ["instrument", "slug"]
        fields = [
            "instrument",
            "slug",
            "label",
            "kind",
            "parent",
            "order",
            "heading",
            *MEANING_FIELDS,
            "applies_from",
            "ceases_on",
            *SOURCED_FIELDS,
            "state",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    def get_export_queryset(self, request=None, **kwargs):
        return (
            super()
            .get_export_queryset(request, **kwargs)
            .select_related("instrument__jurisdiction", "parent")
            .prefetch_related("conditions", "components", "topics")
        )


class SourceWidget(widgets.ForeignKeyWidget):
    def __init__(self, **kwargs):
        super().__init__(Source, field="url", **kwargs)

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return None
        source = Source.objects.filter(url=value).first()
        if source is None:
            raise ValueError(
                _("No source with URL %(url)s: add the source in the admin first.") % {"url": value}
            )
        return source


class LinksField(fields.Field):
    """An argument's links of one kind, ``target=stance`` separated by ``;``.

    ``eu/ai-act/art-53-2=supports; us/eo-14110/sec-4-6=informs``. Importing replaces the
    argument's links of that kind with the listed ones.
    """

    def __init__(self, name, link_model, target, describe, find):
        super().__init__(attribute=name, column_name=name, readonly=False)
        self.link_model, self.target, self.describe, self.find = link_model, target, describe, find
        self.accessor = f"{link_model._meta.model_name}_set"

    def get_value(self, instance):
        return instance

    def export(self, instance, **kwargs):
        if instance.pk is None:
            return ""
        links = getattr(instance, self.accessor).all()
        return "; ".join(
            f"{self.describe(getattr(link, self.target))}={link.stance}" for link in links
        )

    def parse(self, value):
        pairs = []
        for part in str(value or "").split(";"):
            if not part.strip():
                continue
            key, _eq, stance = part.strip().rpartition("=")
            if not key or stance.strip() not in LinkStance.values:
                raise ValueError(
                    _("“%(part)s”: write target=stance, stance one of %(stances)s.")
                    % {"part": part.strip(), "stances": ", ".join(LinkStance.values)}
                )
            pairs.append((self.find(key.strip()), stance.strip()))
        return pairs

    def save(self, instance, row, is_m2m=False, **kwargs):
        if not is_m2m or self.column_name not in row:
            return
        self.link_model.objects.filter(argument=instance).delete()
        for target, stance in self.parse(row[self.column_name]):
            self.link_model.objects.create(
                argument=instance, stance=stance, **{self.target: target}
            )


def find_provision(value: str) -> Provision:
    code, _s, rest = value.partition("/")
    instrument, _s, slug = rest.partition("/")
    provision = Provision.objects.filter(
        instrument__jurisdiction__code=code, instrument__slug=instrument, slug=slug
    ).first()
    if provision is None:
        raise ValueError(
            _("No provision “%(value)s”: write code/instrument/provision, e.g. eu/ai-act/art-53-2.")
            % {"value": value}
        )
    return provision


def find_by_slug(model):
    def find(value: str):
        obj = model.objects.filter(slug=value).first()
        if obj is None:
            raise ValueError(
                _("Unknown %(what)s: %(slug)s.") % {"what": model._meta.verbose_name, "slug": value}
            )
        return obj

    return find


class ArgumentResource(EditorialResource):
    source = fields.Field("source", "source", SourceWidget())
    provisions = LinksField(
        "provisions",
        ArgumentProvision,
        "provision",
        lambda p: f"{p.instrument.jurisdiction.code}/{p.instrument.slug}/{p.slug}",
        find_provision,
    )
    topics = LinksField("topics", ArgumentTopic, "topic", lambda t: t.slug, find_by_slug(Topic))
    components = LinksField(
        "components", ArgumentComponent, "component", lambda c: c.slug, find_by_slug(Component)
    )

    class Meta:
        model = Argument
        import_id_fields = ["slug"]
        fields = [
            *ARGUMENT_FIELDS,
            *SOURCED_FIELDS,
            "state",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = False

    def save_m2m(self, instance, row, **kwargs):
        for name in ("provisions", "topics", "components"):
            self.fields[name].save(instance, row, is_m2m=True)

    def get_export_queryset(self, request=None, **kwargs):
        return (
            super()
            .get_export_queryset(request, **kwargs)
            .select_related("source")
            .prefetch_related(
                "argumentprovision_set__provision__instrument__jurisdiction",
                "argumenttopic_set__topic",
                "argumentcomponent_set__component",
            )
        )
