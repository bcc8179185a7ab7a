from django.conf import settings
from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = "Load the curated dataset (every JSON file in fixtures/) in one transaction."

    def handle(self, *args, **options):
        files = sorted(str(p) for d in settings.FIXTURE_DIRS for p in d.glob("*.json"))
        if not files:
            self.stdout.write("No fixtures to load.")
            return
        # One loaddata call: one transaction, and foreign keys checked at its end, so file
        # order does not matter.
        call_command("loaddata", *files, verbosity=options["verbosity"])
