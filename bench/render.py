"""Uncached matrix renders, in-process: the median of N renders with the page cache emptied.

Run against the synthetic database (see docs/performance.md), production settings:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atlas_bench DJANGO_DEBUG=false \\
      DJANGO_SECRET_KEY=bench DJANGO_ALLOWED_HOSTS=testserver \\
      .venv/bin/python -m bench.render [N]

(``manage.py collectstatic`` first, as production settings use the static manifest.)
Prints, per page, the median and all render times in ms, SQL queries and HTML bytes: with
new data (every memo emptied) and with the same data (only the page cache emptied). This is
the view, the queries and the template only: no HTTP server, no compression, no queueing.
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from comparisons.matrix import filters  # noqa: E402
from comparisons.models import Comparison  # noqa: E402


def main(renders: int) -> None:
    pages = {"default matrix": "/"}
    everyone = Comparison.objects.filter(slug="all-jurisdictions").first()
    if everyone:
        pages["all 50 jurisdictions"] = everyone.get_absolute_url()
    client = Client()
    client.get("/", secure=True)  # imports, template compilation, connection
    for name, url in pages.items():
        # "new data": also without the memo of the provisions' standing
        # (comparisons/matrix/filters.py, Standing), as the first render in a process after a
        # publish; "same data": another uncached page at the data version of the one before
        # (another filter or day).
        for label, memo_emptied in (("new data", True), ("same data", False)):
            times = []
            for _ in range(renders):
                cache.clear()
                if memo_emptied:
                    filters.forget_standings()
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url, secure=True)
                times.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    sys.exit(f"{url}: HTTP {response.status_code}")
            print(
                f"{name:22} {label:9} median {statistics.median(times):5.0f} ms"
                f"  (all: {', '.join(f'{t:.0f}' for t in times)})"
                f"  SQL {len(queries)}  HTML {len(response.content):,} bytes"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
