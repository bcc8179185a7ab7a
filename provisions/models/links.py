"""The last check of each outside link the atlas cites (``manage.py check_links``)."""

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _


class LinkCheck(models.Model):
    """One row per URL, overwritten by each run: the latest answer is what editors act on.

    Keyed by the URL, not by the record, because many records cite the same page (an official
    journal, a paper); a URL is fetched once per run whoever cites it.
    """

    url = models.URLField(_("URL"), max_length=500, unique=True)
    checked_at = models.DateTimeField(_("checked at"))
    status = models.PositiveSmallIntegerField(
        _("HTTP status"), null=True, blank=True, help_text=_("Empty when no answer came.")
    )
    final_url = models.URLField(_("final URL, after redirects"), max_length=2000, blank=True)
    method = models.CharField(_("method"), max_length=4, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    ok = models.BooleanField(_("answered"), default=False, db_index=True)

    class Meta:
        ordering = ["url"]
        verbose_name = _("link check")

    def __str__(self) -> str:
        return f"{self.url}: {self.status or self.error}"

    @property
    def redirected(self) -> bool:
        return bool(self.final_url) and self.final_url != self.url


def failed_link(url_field: str) -> Exists:
    """True for a record whose ``url_field`` failed its last check (for filters and counts)."""
    return Exists(LinkCheck.objects.filter(url=OuterRef(url_field), ok=False))
