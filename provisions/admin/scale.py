"""Admin changelists that stay fast at tens of thousands of rows."""

from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections, router

# Below this many rows an exact count is cheap, and editors see the exact number.
ESTIMATE_ABOVE = 10_000


class EstimatedCountPaginator(Paginator):
    """Counts an unfiltered list from the planner's estimate (``pg_class.reltuples``, kept by
    autovacuum and ANALYZE) instead of a COUNT(*) over the whole table; a filtered or searched
    list, or a small table, is counted exactly. The estimate can be off by a few rows, so the
    last page number is approximate on a big unfiltered list: the admin sends an editor who
    asks past the end back to the first page."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None or query.where or query.distinct:
            return super().count
        model = queryset.model
        alias = router.db_for_read(model)
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [model._meta.db_table],
            )
            row = cursor.fetchone()
        estimate = row[0] if row else -1
        if estimate is None or estimate < ESTIMATE_ABOVE:  # -1: never analysed
            return super().count
        return estimate
