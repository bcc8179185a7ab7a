"""Production settings plus one trivial view, for the benchmark only (never deployed).

The benchmark compares every page's throughput with a view that does nothing, served by the
same processes through the same middleware: that ratio is what survives a noisy machine.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
