"""The editorial workflow in the admin: who may publish, and the actions that move records.

Editors create and change drafts and submit them for review. Only holders of the model's
``publish_<model>`` permission (the Reviewers group, superusers) publish and withdraw, and
only they may change a record once it is published or withdrawn. The rule is enforced three
times: the state field offers editors only draft and in review (a crafted POST fails form
validation), ``save_model`` refuses any save that would enter or leave a locked state, and the
publish/withdraw actions are offered to publishers only.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ForeignKey, OuterRef, Subquery
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from provisions.models import EditorialState, ReviewComment, Verification
from provisions.models.editorial import LOCKED, can_publish, transitions_for
from provisions.models.review import note_review
from provisions.redline import changes as redline_changes

EDITOR_STATES = [
    (state.value, state.label) for state in (EditorialState.DRAFT, EditorialState.IN_REVIEW)
]


def change_reason(form, added: bool, moved: str = "") -> str:
    """The history's "change reason" for a save from an admin form: what the editor did.

    Without one simple_history stores NULL, which its history page printed as "None". ``moved``:
    the workflow move a button made ("Submitted for review"), which names the state change.
    """
    if added and not moved:
        return "Added in the admin"
    skipped = ("review_comment", "state") if moved else ("review_comment",)
    names = [
        str(form.fields[name].label or name)
        for name in form.changed_data
        if name in form.fields and name not in skipped
    ]
    if moved:
        reason = moved + ("; changed " + ", ".join(names) if names and not added else "")
    elif not names:
        commented = "review_comment" in form.changed_data
        return "Commented in the admin" if commented else "Saved in the admin, nothing changed"
    else:
        reason = "Changed " + ", ".join(names)
    # simple_history's column holds 100 characters.
    return reason if len(reason) <= 100 else reason[:99] + "…"


@dataclass
class ChosenVersions:
    """The two versions a comparison shows, and what was said about the choice."""

    before: object = None
    after: object = None
    notes: list = field(default_factory=list)
    since_published: bool = False

    @staticmethod
    def until(version, versions):
        """The moment the next version was saved (None: now): parts saved with a version (a
        provision's texts, inline) are dated just after it."""
        if version is None:
            return None
        at = versions.index(version)
        return versions[at - 1].history_date if at > 0 else None


def choose_versions(request, versions: list) -> ChosenVersions:
    """From ``?from=&to=`` (history ids) or ``?since=published``; by default the last change.
    An id that is not a version of this record is ignored, and the page says so."""
    chosen = ChosenVersions()
    if not versions:
        return chosen
    by_id = {str(v.history_id): v for v in versions}
    chosen.after = versions[0]
    chosen.before = versions[1] if len(versions) > 1 else None
    if request.GET.get("since") == "published":
        chosen.since_published = True
        chosen.before = next(
            (v for v in versions[1:] if getattr(v, "state", None) == EditorialState.PUBLISHED), None
        )
        if chosen.before is None:
            chosen.notes.append(_("Never published before: everything in it is new."))
        return chosen
    for side in ("from", "to"):
        raw = request.GET.get(side)
        if raw is None:
            continue
        if raw not in by_id:
            chosen.notes.append(
                _("“%(raw)s” is not a version of this record; showing the last change instead.")
                % {"raw": raw[:40]}
            )
            return ChosenVersions(
                versions[1] if len(versions) > 1 else None, versions[0], chosen.notes
            )
        setattr(chosen, "before" if side == "from" else "after", by_id[raw])
    if chosen.before is not None and chosen.before.history_date > chosen.after.history_date:
        chosen.before, chosen.after = chosen.after, chosen.before  # always older → newer
    return chosen


def is_locked_for(user, obj) -> bool:
    """True if ``obj`` is published or withdrawn and ``user`` may not publish its kind."""
    return (
        obj is not None
        and getattr(obj, "state", None) in LOCKED
        and not can_publish(user, type(obj))
    )


class HistoryAdmin(SimpleHistoryAdmin):
    """Every change kept, with who and when; any version can be restored from the history page,
    and any two compared (``…/history/compare/?from=<id>&to=<id>``, or ``?since=published``).

    simple_history lets anyone who may *view* a record POST a revert; here only someone who may
    change the record as it stands now can.
    """

    object_history_template = "admin/provisions/object_history.html"
    # Not compared: bookkeeping the history keeps anyway (who and when is in each version).
    compare_skip = ("created_at", "updated_at", "search")

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{opts.app_label}_{opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def compare_parts(self, obj, before_until, after_until) -> list[tuple[str, list]]:
        """Records that belong to ``obj`` and are compared with it: (title, changes) pairs.
        ``*_until``: each side shows them as they were just before that time (None: now)."""
        return []

    def compare_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        versions = list(
            obj.history.select_related("history_user").order_by("-history_date", "-history_id")
        )
        chosen = choose_versions(request, versions)
        before, after = chosen.before, chosen.after
        parts = []
        if after is not None:
            parts = self.compare_parts(
                obj, chosen.until(before, versions), chosen.until(after, versions)
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": obj,
            "title": _("Compare versions: %s") % obj,
            "versions": versions,
            "chosen": chosen,
            "changes": (
                redline_changes(self.model, before, after, skip=self.compare_skip)
                if after is not None
                else []
            ),
            "parts": parts,
        }
        for note in chosen.notes:
            messages.warning(request, note)
        return TemplateResponse(request, "admin/provisions/compare.html", context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple_history calls select_related() with no field for a model without foreign
        # keys, which Django 6.1 deprecates (and our test settings turn warnings into errors).
        qs = history_manager.filter(**{pk_name: object_id}).select_related("history_user")
        fks = [f.name for f in history_manager.model.tracked_fields if isinstance(f, ForeignKey)]
        return qs.select_related(*fks) if fks else qs

    def save_model(self, request, obj, form, change):
        if not getattr(obj, "_change_reason", None):
            restored = getattr(request, "atlas_restoring", None)
            obj._change_reason = (
                f"Restored the version of {restored:%Y-%m-%d %H:%M}"
                if restored
                else change_reason(form, added=not change)
            )
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if inline_form.has_changed() and not getattr(
                inline_form.instance, "_change_reason", None
            ):
                inline_form.instance._change_reason = change_reason(
                    inline_form, added=inline_form.instance.pk is None
                )
        super().save_formset(request, form, formset, change)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
            version = current.history.filter(history_id=version_id).first()
            request.atlas_restoring = version.history_date if version else None
        return super().history_form_view(request, object_id, version_id, extra_context)


# The fieldsets every withdrawable, sourced record's form ends with.
SOURCE_AND_CHECKING = (
    _("Source and checking"),
    {"fields": ["source_url", "checked_on", "verification"]},
)
# The state is shown, and moved by buttons, at the top and foot of the form (the workflow
# templates); its field stays in the form, hidden, so a crafted value still meets its choices.
EDITORIAL_STATE = (None, {"fields": ["state"], "classes": ["hidden"]})
WITHDRAWAL = (
    _("Withdrawal"),
    {
        "fields": ["withdrawn_on", "withdrawal_reason", "successor"],
        "classes": ["collapse"],
        "description": _("Once withdrawn, the public address answers 410 Gone with these facts."),
    },
)


# Where a record keeps the copy its check was made against: a text's "copy that was read";
# records gain "copy checked against" (``checked_against``) with the truth pass's fields.
COPY_FIELDS = ("copy_read", "checked_against")
GRADE_WORDS = {Verification.OFFICIAL: "official", Verification.SECONDARY: "secondary"}


class CheckedForm(forms.Form):
    """What "Mark checked today" asks: which copy was read, and how well it vouches."""

    copy = forms.CharField(
        label=_("Copy that was read"),
        max_length=400,
        help_text=_(
            "Its URL, or a named mirror: “EUR-Lex HTML of OJ L, 2024/1689”, “Federal Register "
            "PDF, 88 FR 75191”."
        ),
    )
    grade = forms.ChoiceField(
        label=_("The check it earned"),
        choices=[
            (Verification.OFFICIAL.value, Verification.OFFICIAL.label),
            (Verification.SECONDARY.value, Verification.SECONDARY.label),
        ],
        widget=forms.RadioSelect,
    )


def workflow_form(base, allowed: dict):
    """The admin's form for a record, with a review comment and the move its button asked for.

    ``allowed``: the transitions the user may make from the record's present state. The move
    sets the state before the model is validated, so publishing meets the same rules (a source,
    a check date, a verification) as the state field did.
    """

    class WorkflowForm(base):
        review_comment = forms.CharField(
            label=_("Comment"),
            required=False,
            max_length=5000,
            strip=True,
            widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
            help_text=_(
                "Plain text, for the editor or reviewer. Saved with the record; sending back "
                "needs one."
            ),
        )
        transition = None

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # Validation moves the instance to the button's state; a form shown again with
            # errors still describes the record as it is.
            self.state_before = self.instance.state

        def clean(self):
            cleaned = super().clean()
            key = self.data.get("_transition", "")
            if not key:
                return cleaned
            chosen = allowed.get(key)
            if chosen is None:
                raise forms.ValidationError(
                    _("This move is not open to you from the record’s present state.")
                )
            if chosen.needs_comment and not cleaned.get("review_comment"):
                self.add_error(
                    "review_comment", _("Say what needs to change: sending back needs a comment.")
                )
            self.transition = chosen
            cleaned["state"] = chosen.target
            self.instance.state = chosen.target
            return cleaned

    WorkflowForm.__name__ = base.__name__
    return WorkflowForm


# The desk's lists (provisions/desk.py) of work under review or sent back.
REVIEW_LISTS = frozenset({"review", "mine-in-review", "mine-sent-back"})


class EditorialAdmin(HistoryAdmin):
    actions = ["submit_for_review", "publish", "withdraw", "mark_checked_today"]
    change_form_template = "admin/provisions/editorial_change_form.html"

    def allowed_transitions(self, request, obj, state=None) -> dict:
        if obj is not None and not self.has_change_permission(request, obj):
            return {}
        state = state or (obj.state if obj is not None else EditorialState.DRAFT)
        return transitions_for(request.user, self.model, state)

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)
        return workflow_form(base, self.allowed_transitions(request, obj))

    def in_review_list(self, request) -> bool:
        """The review queue, or my work under review: lists that show comments and changes."""
        return request.GET.get("desk") in REVIEW_LISTS

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        if self.in_review_list(request):
            shown += ["latest_comment", "changes_since_published"]
        return shown

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.in_review_list(request):
            # The latest comment of each row, in the list's own query (no query per row).
            thread = ReviewComment.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model),
                object_id=OuterRef("pk"),
            ).order_by("-created_at", "-pk")
            queryset = queryset.annotate(
                latest_comment_body=Subquery(thread.values("body")[:1]),
                latest_comment_by=Subquery(thread.values("author__username")[:1]),
            )
        return queryset

    @admin.display(description=_("latest review comment"))
    def latest_comment(self, obj):
        body = getattr(obj, "latest_comment_body", None)
        if not body:
            return "—"
        by = obj.latest_comment_by or _("a former user")
        return format_html("<strong>{}</strong>: {}", by, Truncator(body).chars(200))

    @admin.display(description=_("what changed"))
    def changes_since_published(self, obj):
        opts = self.model._meta
        link = reverse(f"admin:{opts.app_label}_{opts.model_name}_compare", args=[obj.pk])
        return format_html('<a href="{}?since=published">{}</a>', link, _("since last published"))

    def get_fields(self, request, obj=None):
        # An admin without fieldsets lists its form's fields; the comment is not a model field
        # (the workflow templates place it).
        return [name for name in super().get_fields(request, obj) if name != "review_comment"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "state" and field is not None:
            field.widget = forms.HiddenInput()
        return field

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        comments = (
            list(ReviewComment.objects.on(obj).select_related("author")) if obj is not None else []
        )
        state = EditorialState(getattr(form, "state_before", None) or EditorialState.DRAFT)
        context["workflow"] = {
            "state": state,
            "transitions": list(self.allowed_transitions(request, obj, state).values()),
            "may_comment": "review_comment" in form.fields
            and (obj is None or self.has_change_permission(request, obj)),
            "comments": comments,
            "sent_back": state == EditorialState.DRAFT
            and any(c.sends_back and c.resolved_at is None for c in comments),
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_publish_permission(self, request) -> bool:
        return can_publish(request.user, self.model)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not is_locked_for(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not is_locked_for(request.user, obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "state" and not self.has_publish_permission(request):
            kwargs["choices"] = EDITOR_STATES
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        transition = getattr(form, "transition", None)
        if transition is not None:
            obj._change_reason = change_reason(form, added=not change, moved=transition.reason)
        self.check_transition(request, obj)
        super().save_model(request, obj, form, change)
        comment = form.cleaned_data.get("review_comment", "") if form is not None else ""
        note_review(obj, request.user, obj.state, comment, transition)
        if transition is not None:
            self.message_user(
                request,
                _("“%(obj)s”: %(done)s.") % {"obj": obj, "done": transition.reason.lower()},
                messages.SUCCESS,
            )

    def check_transition(self, request, obj) -> None:
        """Refuse, whatever the form said, a save that enters or leaves a locked state."""
        if self.has_publish_permission(request):
            return
        before = None
        if obj.pk is not None:
            before = (
                type(obj)._default_manager.filter(pk=obj.pk).values_list("state", flat=True).first()
            )
        if obj.state in LOCKED or before in LOCKED:
            raise PermissionDenied("Only reviewers publish, withdraw or change published records.")

    @admin.action(description=_("Submit selected for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.move(request, queryset.filter(state=EditorialState.DRAFT), EditorialState.IN_REVIEW)

    @admin.action(description=_("Publish selected"), permissions=["publish"])
    def publish(self, request, queryset):
        self.move(
            request, queryset.exclude(state=EditorialState.PUBLISHED), EditorialState.PUBLISHED
        )

    @admin.action(description=_("Withdraw selected"), permissions=["publish"])
    def withdraw(self, request, queryset):
        self.move(
            request, queryset.filter(state=EditorialState.PUBLISHED), EditorialState.WITHDRAWN
        )

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if not hasattr(model, "checked_on"):  # a comparison states no fact to check
            self.actions = [name for name in self.actions if name != "mark_checked_today"]

    @admin.action(description=_("Mark checked today…"), permissions=["change"])
    def mark_checked_today(self, request, queryset):
        """Record that the selected records were checked today, against which copy, how well.

        A page asks for the copy that was read (its URL, or a named mirror) and the grade the
        check earned; the records' check date and verification come from that answer, and a
        record with a field for the copy (a text's "copy that was read") keeps it too. Each is
        saved on its own, so its history says who checked, when, against what and how well.
        Records the user may not change (published ones, for editors) are left as they were.
        """
        form = CheckedForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "admin/provisions/mark_checked.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "title": _("Mark checked today"),
                    "form": form,
                    "records": queryset,
                    "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
                    "select_across": request.POST.get("select_across", "0"),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        copy, grade = form.cleaned_data["copy"], Verification(form.cleaned_data["grade"])
        today = timezone.localdate()
        checked, locked = 0, []
        for obj in queryset:
            if is_locked_for(request.user, obj):
                locked.append(str(obj))
                continue
            obj.checked_on = today
            obj.verification = grade
            changed = ["checked_on", "verification"]
            for name in COPY_FIELDS:
                if hasattr(obj, name):
                    setattr(obj, name, copy)
                    changed.append(name)
            reason = f"Checked today against {copy} ({GRADE_WORDS[grade]})"
            obj._change_reason = reason if len(reason) <= 100 else reason[:99] + "…"
            obj.save()
            self.log_change(request, obj, [{"changed": {"fields": changed}}])
            checked += 1
        if checked:
            self.message_user(
                request,
                ngettext(
                    "%(count)d record marked as checked today.",
                    "%(count)d records marked as checked today.",
                    checked,
                )
                % {"count": checked},
                messages.SUCCESS,
            )
        if locked:
            self.message_user(
                request,
                _("Only reviewers can change published records; not marked: %(records)s")
                % {"records": "; ".join(locked)},
                messages.WARNING,
            )
        return None

    def move(self, request, queryset, state: EditorialState) -> None:
        """Move each record to ``state`` if it is valid there; say which were not, and why.

        One save per record, not ``update()``: each move is validated (a published record needs
        its source) and recorded in the history with the user.
        """
        if state in LOCKED and not self.has_publish_permission(request):
            raise PermissionDenied
        moved = 0
        for obj in queryset:
            obj.state = state
            try:
                obj.full_clean()
            except ValidationError as error:
                self.message_user(
                    request,
                    _("“%(obj)s” stays as it was: %(why)s")
                    % {"obj": obj, "why": " ".join(error.messages)},
                    messages.ERROR,
                )
                continue
            obj._change_reason = f"Moved to {state.label.lower()}"
            obj.save()
            note_review(obj, request.user, state)
            self.log_change(request, obj, [{"changed": {"fields": ["state"]}}])
            moved += 1
        if moved:
            self.message_user(
                request,
                ngettext(
                    "%(count)d %(name)s is now %(state)s.",
                    "%(count)d %(name)s are now %(state)s.",
                    moved,
                )
                % {
                    "count": moved,
                    "name": (
                        self.model._meta.verbose_name
                        if moved == 1
                        else self.model._meta.verbose_name_plural
                    ),
                    "state": state.label.lower(),
                },
                messages.SUCCESS,
            )


class PartOfEditorialInline:
    """An inline row belongs to its parent record: it is locked when the parent is."""

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and not is_locked_for(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not is_locked_for(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not is_locked_for(request.user, obj)


class RefuseDeleteInUse:
    """Refuse to delete a term still in use by records through a many-to-many relation.

    ForeignKeys already PROTECT; an auto-created many-to-many would silently drop the link. The
    admin lists the records in the way, as it does for protected foreign keys.
    """

    in_use_by: tuple[str, ...] = ()

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for obj in objs:
            for accessor in self.in_use_by:
                for user in getattr(obj, accessor).all():
                    protected.append(f"{capfirst(user._meta.verbose_name)}: {user}")
        return deleted, model_count, perms_needed, protected


class PartAdmin(HistoryAdmin):
    """A part of an editorial record (an earlier label, a link) edited on its own page.

    It is locked when the record it belongs to (``part_of``) is locked, and editors can only
    attach it to records they may change.
    """

    part_of: str = ""

    def whole(self, obj):
        return getattr(obj, self.part_of) if obj is not None else None

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not is_locked_for(
            request.user, self.whole(obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not is_locked_for(
            request.user, self.whole(obj)
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == self.part_of and not can_publish(request.user, db_field.related_model):
            field.queryset = field.queryset.exclude(state__in=LOCKED)
        return field

    def save_model(self, request, obj, form, change):
        if is_locked_for(request.user, self.whole(obj)):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class ShownByEditorialAdmin(HistoryAdmin):
    """A record with no editorial state of its own that public pages show through others: a
    source, through the arguments that cite it.

    While a published or withdrawn record shows it, only someone who may publish that record
    changes or deletes it; otherwise an edit here would change a public page without review.
    """

    shown_by: str = ""  # the reverse accessor to the editorial records, e.g. "arguments"

    def locked_for(self, request, obj) -> bool:
        if obj is None or obj.pk is None:
            return False
        showing = getattr(obj, self.shown_by)
        return (
            not can_publish(request.user, showing.model)
            and showing.filter(state__in=LOCKED).exists()
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.locked_for(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.locked_for(request, obj)

    def save_model(self, request, obj, form, change):
        if change and self.locked_for(request, obj):
            raise PermissionDenied("Only reviewers change what published records show.")
        super().save_model(request, obj, form, change)
