"""Gunicorn settings for ``deploy/run web`` (https://docs.gunicorn.org/en/stable/settings.html).

Read from the environment so compose and ``make prod-smoke`` share this file:
``GUNICORN_BIND`` (default ``0.0.0.0:8000``), ``WEB_CONCURRENCY`` (worker
processes, default 3), ``LOG_LEVEL``. TLS is terminated by a proxy in front;
Django itself decides whether a request was HTTPS from ``X-Forwarded-Proto``
(``SECURE_PROXY_SSL_HEADER`` in ``cto_office/settings.py``).
"""

import os
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Slow work (the briefing's PDF, mail) runs in Celery, so no request should need
# long; a worker stuck for 30 s is killed and replaced (gunicorn's "timeout").
timeout = 30
graceful_timeout = 20
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Heartbeat files in memory, not on a container's overlay disk (gunicorn FAQ,
# "Blocking OS calls"); /dev/shm is absent on macOS, where the default is kept.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"
