"""The benchmark (`make bench`): synthetic data, a production-like server, wrk, one table."""
