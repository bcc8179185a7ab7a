"""Old URLs of pages that moved, so links to the atlas never break.

Not django.contrib.redirects: it needs django.contrib.sites, whose fixed domain would then be
used by every absolute URL Django builds (feeds, sitemaps) instead of the request's host.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from provisions.plaintext import PlainTextFields


class MovedPath(PlainTextFields, models.Model):
    old_path = models.CharField(_("old path"), max_length=400, unique=True)
    new_path = models.CharField(_("new path"), max_length=400)
    moved_at = models.DateTimeField(_("moved at"), auto_now=True)

    class Meta:
        ordering = ["old_path"]
        verbose_name = _("moved page")

    def __str__(self) -> str:
        return f"{self.old_path} → {self.new_path}"
