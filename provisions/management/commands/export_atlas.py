import json
import sys

from django.core.management import BaseCommand

from provisions import backup


class Command(BaseCommand):
    help = (
        "Write the whole atlas (published records, drafts, every historical version and the "
        "editors they name) to one versioned JSON file. Restore it with import_atlas."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", default="-", help="File to write; '-' (the default) is stdout."
        )

    def handle(self, *args, output, **options):
        document = backup.export()
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        if output == "-":
            sys.stdout.write(text + "\n")
            return
        with open(output, "w", encoding="utf-8") as file:
            file.write(text + "\n")
        rows = sum(len(t["rows"]) for t in document["tables"])
        self.stderr.write(
            f"Wrote {rows} rows in {len(document['tables'])} tables and "
            f"{len(document['accounts']['users']['rows'])} accounts to {output}."
        )
