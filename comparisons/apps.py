from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Comparisons"

    def ready(self):
        from comparisons.models import Comparison
        from comparisons.records.preview import PREVIEWS
        from config import dataversion
        from provisions import renames
        from provisions.admin import preview

        # The admin routes the draft previews, which render public pages
        # (comparisons/records/preview.py).
        preview.PREVIEWS.update(PREVIEWS)
        # A renamed comparison leaves a redirect behind, as renamed records do.
        renames.watch(Comparison)

        # After every migrate: the data-version triggers cover every atlas table, new ones too.
        post_migrate.connect(dataversion.install, sender=self, dispatch_uid="atlas-data-version")
        # A process that writes sees its own change at once, whatever the one-second memory.
        connection_created.connect(dataversion.watch_writes, dispatch_uid="atlas-version-writes")
