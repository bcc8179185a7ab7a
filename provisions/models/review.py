"""Review comments: the conversation between an editor and a reviewer about one record.

Any editorial record (provision, instrument, argument, finding…) may carry a thread, so the
record is named through contenttypes rather than by one foreign key per kind. A comment is plain
text, printed escaped. Sending a record back for changes is a comment that stays *open* until
the record is submitted again; the desk's "Mine sent back" lists records with an open one.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .editorial import EditorialState


class ReviewCommentQuerySet(models.QuerySet):
    def on(self, record) -> QuerySet:
        """The thread of ``record``, oldest first."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
        )

    def open_send_backs(self) -> QuerySet:
        return self.filter(sends_back=True, resolved_at__isnull=True)


class ReviewComment(models.Model):
    content_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="review_comments",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    body = models.TextField(_("comment"))
    sends_back = models.BooleanField(
        _("sent the record back"),
        default=False,
        help_text=_("Written when a reviewer sent the record back for changes."),
    )
    resolved_at = models.DateTimeField(
        _("answered at"),
        null=True,
        blank=True,
        help_text=_("When the record was submitted again after being sent back."),
    )

    objects = ReviewCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review comment")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="review_comment_record"),
        ]

    def __str__(self) -> str:
        return f"{self.author or _('a former user')}, {self.created_at:%Y-%m-%d %H:%M}"


def sent_back(queryset: QuerySet, to=None) -> QuerySet:
    """Records of ``queryset`` sent back for changes and not yet submitted again; with ``to``
    (a user), only those someone else sent back: a reviewer's own send-back is not their work."""
    open_ones = ReviewComment.objects.open_send_backs().filter(
        content_type=ContentType.objects.get_for_model(queryset.model), object_id=OuterRef("pk")
    )
    if to is not None:
        open_ones = open_ones.exclude(author=to)
    return queryset.filter(Exists(open_ones))


def note_review(record, user, state: str, comment: str = "", transition=None) -> None:
    """After a save: keep ``comment`` in the record's thread (a send-back when ``transition``
    sent the record back), and close the open send-backs once it is submitted again."""
    thread = ReviewComment.objects.on(record)
    if state == EditorialState.IN_REVIEW:
        thread.open_send_backs().update(resolved_at=timezone.now())
    if comment:
        ReviewComment.objects.create(
            record=record,
            author=user,
            body=comment,
            sends_back=transition is not None and transition.key == "send_back",
        )
