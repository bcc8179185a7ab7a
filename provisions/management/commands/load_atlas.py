from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import transaction
from django.test.utils import override_settings
from simple_history.exceptions import NotHistoricalModelError
from simple_history.models import registered_models
from simple_history.utils import get_history_manager_for_model

from provisions import vocabulary


class Command(BaseCommand):
    help = "Load the curated dataset (every JSON file in fixtures/) in one transaction."

    def handle(self, *args, **options):
        files = sorted(str(p) for d in settings.FIXTURE_DIRS for p in d.glob("*.json"))
        if not files:
            self.stdout.write("No fixtures to load.")
            return
        with transaction.atomic():
            # One loaddata call: one transaction, and foreign keys checked at its end, so file
            # order does not matter. History is paused: loaddata saves rows raw (no history) but
            # sets many-to-many fields with .set(), which simple_history records as "changed"
            # entries that would then stand in for the record's first, "created" entry.
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", *files, verbosity=options["verbosity"])
            started = record_initial_history()
        vocabulary.refresh()  # loaddata saves raw, which the view's own refresh skips
        if started and options["verbosity"]:
            self.stdout.write(f"Started the history of {started} loaded records.")


def record_initial_history() -> int:
    """Give every record without history its first entry ("created"), dated now, by nobody.

    loaddata saves raw, which skips simple_history's signals; without this the admin's history
    of a loaded record would start at its first edit. Records that have history keep it.
    """
    started = 0
    for model in registered_models.values():
        try:
            history = get_history_manager_for_model(model)
        except NotHistoricalModelError:
            continue  # a many-to-many through table, whose history lives with its owner
        pk_name = model._meta.pk.attname
        fresh = model._default_manager.exclude(**{f"{pk_name}__in": history.values(pk_name)})
        objs = list(fresh)
        if objs:
            history.bulk_history_create(
                objs, batch_size=500, default_change_reason="Loaded from fixtures/"
            )
            started += len(objs)
    return started
