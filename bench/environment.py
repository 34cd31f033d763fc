"""The bench's own database and the production-like environment it runs in.

The large organisation lives in its own PostgreSQL database,
``BENCH_DATABASE_URL`` or else ``DATABASE_URL`` with its name replaced by
``cto_office_bench``; it is created when missing and seeded once (later runs
reuse it). The bench runs as production does: ``DEBUG=false``, a generated
secret, collected static files; plain HTTP on loopback (no TLS redirect), no
Redis (tasks run in the process: only the web side is measured), mail kept in
memory.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

BENCH_DATABASE = "cto_office_bench"
DEFAULT_URL = f"postgres://postgres@127.0.0.1:5432/{BENCH_DATABASE}"


def bench_database_url(environ: dict[str, str]) -> str:
    """``BENCH_DATABASE_URL``, else ``DATABASE_URL`` (PostgreSQL) renamed to ``cto_office_bench``."""
    if environ.get("BENCH_DATABASE_URL"):
        return environ["BENCH_DATABASE_URL"]
    url = environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return DEFAULT_URL
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}", query=""))


def ensure_database(url: str) -> bool:
    """Create the database named in ``url`` if it does not exist; return whether it was created."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def bench_environ(database_url: str, workdir: Path) -> dict[str, str]:
    """The environment of the bench and of the gunicorn it starts (media and static in ``workdir``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "EMAIL_URL")}
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        EMAIL_URL="memorymail://",
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="cto_office.settings",
    )
    return env
