import time

from django.core.management import BaseCommand, CommandError

from provisions import synthetic


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic atlas at 100x today's size (50 jurisdictions, "
        "1,000 instruments, 20,000 provisions, 3,000 arguments), deterministically from --seed. "
        "Empties every atlas table first: use a separate database, e.g. "
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/atlas_bench (docs/performance.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace atlas data that this command did not make (the curated dataset).",
        )
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="Do nothing when the database already holds this seed's synthetic atlas.",
        )

    def handle(self, *args, seed, force, if_changed, **options):
        wanted = synthetic.marker(seed, synthetic.FULL)
        if if_changed and synthetic.database_comment() == wanted:
            self.stdout.write(f"Synthetic atlas (seed {seed}) already in place.")
            return
        started = time.monotonic()
        try:
            report = synthetic.generate(seed=seed, force=force, fast=True)
        except synthetic.RealDataPresent as error:
            raise CommandError(str(error)) from None
        elapsed = time.monotonic() - started
        if options["verbosity"] > 1:
            self.stdout.write(synthetic.counts_table(report))
        rows = sum(report.counts.values())
        self.stdout.write(f"Synthetic atlas, seed {seed}: {rows} rows in {elapsed:.1f} s.")
