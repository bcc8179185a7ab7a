"""Draft preview in the admin: ``<admin>/provisions/<model>/<id>/preview/``, and "View on site"
pointing at it while a record is not public.

The preview renders the record's public page, so its views belong to the public atlas
(comparisons/records/preview.py). They are handed to this module in ``ComparisonsConfig.ready``
(``PREVIEWS``), before any URL is resolved: the data layer routes them without importing them.
"""

from django.urls import path, reverse

from provisions.withdrawals import is_public

# Model → view, filled by the public atlas at startup (comparisons/apps.py).
PREVIEWS = {}


class PreviewAdmin:
    """Mixed into the admins of records with a public page: the preview URL, and "View on
    site" pointing at it while the record is not public."""

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<str:object_id>/preview/",
                PREVIEWS[self.model],
                name=f"{opts.app_label}_{opts.model_name}_preview",
            ),
            *super().get_urls(),
        ]

    def view_on_site(self, obj):
        if is_public(obj):
            return obj.get_absolute_url()
        opts = obj._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk])
