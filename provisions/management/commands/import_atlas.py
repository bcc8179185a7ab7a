import json

from django.core.management import BaseCommand, CommandError

from provisions import backup


class Command(BaseCommand):
    help = (
        "Restore a file written by export_atlas into an empty, migrated database, in one "
        "transaction. Editors' passwords are not in the file: they set new ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file written by export_atlas.")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        except RecursionError:
            raise CommandError(f"Cannot read {file}: its JSON is nested too deep.") from None
        try:
            counts = backup.restore(document)
        except backup.RestoreRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            f"Restored {sum(counts.values())} rows from {file} "
            f"({counts.get('auth.user', 0)} accounts; they need new passwords: "
            "`manage.py changepassword <name>`, and `manage.py setup_groups` for the roles)."
        )
