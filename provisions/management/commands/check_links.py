"""Check every source and official URL the atlas cites; record each answer for the desk."""

import time

from django.core.management import BaseCommand, CommandError

from provisions.linkcheck import LinkChecker, cited_urls, record


class Command(BaseCommand):
    help = (
        "Check every source and official URL (HEAD, then GET), concurrently, one request at a "
        "time per host. Records status, final URL and date per link (admin: Link checks; the "
        "desk lists failures). Progress on a terminal, a one-line summary otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds per request.")
        parser.add_argument(
            "--per-host-delay",
            type=float,
            default=1.0,
            help="Seconds between two requests to the same host.",
        )
        parser.add_argument("--workers", type=int, default=8, help="Hosts checked at once.")
        parser.add_argument(
            "--url", action="append", default=[], help="Check only this URL (repeatable)."
        )
        parser.add_argument(
            "--deadline",
            type=float,
            default=3600.0,
            help="Seconds for the whole run; then the unanswered links are recorded as such "
            "and the command exits.",
        )
        parser.add_argument(
            "--allow-private",
            nargs="?",
            const="all",
            default=None,
            metavar="NETWORKS",
            help="Also fetch loopback, private, link-local and reserved addresses: all of "
            "them, or only the comma-separated networks given (127.0.0.1/32,10.0.0.0/8). "
            "Refused by default: the links are editors' text, and this runs inside our network.",
        )

    def handle(self, *args, **options):
        urls = options["url"] or cited_urls()
        allow = options["allow_private"]
        try:
            allow_private = True if allow == "all" else (allow.split(",") if allow else False)
            checker = LinkChecker(
                timeout=options["timeout"],
                per_host_delay=options["per_host_delay"],
                workers=options["workers"],
                allow_private=allow_private,
                deadline=options["deadline"],
            )
        except ValueError as error:
            raise CommandError(f"--allow-private: {error}") from None
        tty = self.stdout.isatty()
        started = time.monotonic()
        tally = {"done": 0, "failed": 0, "redirected": 0}
        failures = []

        def on_answer(answer):
            record(answer)
            tally["done"] += 1
            if not answer.ok:
                tally["failed"] += 1
                failures.append(answer)
            elif answer.final_url and answer.final_url != answer.url:
                tally["redirected"] += 1
            if tty:
                self.stdout.write(
                    f"\rChecked {tally['done']}/{len(urls)}, {tally['failed']} failing",
                    ending="",
                )
                self.stdout.flush()

        checker.run(urls, on_answer)
        if tty:
            self.stdout.write("")
        if options["verbosity"] >= 2:
            for answer in failures:
                self.stdout.write(f"  {answer.status or answer.error}: {answer.url}")
        elapsed = time.monotonic() - started
        summary = (
            f"check_links: {tally['done']} links checked in {elapsed:.1f} s: "
            f"{tally['done'] - tally['failed']} answered ({tally['redirected']} after a redirect), "
            f"{tally['failed']} failed."
        )
        self.stdout.write(summary)
