"""``make prod-smoke`` (``python -m deploy.smoke``): the production topology, started for real on this machine and checked.

What it does, in order:

1. Recreates a throw-away PostgreSQL database (``SMOKE_DATABASE_URL``, default
   ``postgres://postgres@127.0.0.1:5432/cto_office_smoke``; its name must contain
   ``smoke``, so the script never drops anything else) and empties one Redis
   database (``SMOKE_REDIS_URL``, default ``redis://127.0.0.1:6379/8``). Both
   servers must already run; the script never starts, stops or reconfigures them.
2. Runs, with the production environment (``DEBUG=false``, a freshly generated
   ``SECRET_KEY``, ``SECURE_SSL_REDIRECT`` left at its production default),
   ``deploy/run migrate`` and ``deploy/run collectstatic`` into a temporary
   ``STATIC_ROOT``, Django's ``check --deploy`` and ``seed_demo``.
3. Starts an SMTP sink (aiosmtpd, a Maildir in the temporary folder) and
   ``deploy/run web``, ``deploy/run worker`` and ``deploy/run beat``: the very
   commands ``docker-compose.yml`` runs. Each gets its own process group.
4. Drives the app over HTTP like a browser behind a TLS-terminating proxy
   (every request says ``X-Forwarded-Proto: https``, as the proxy would; cookies
   and CSRF handled as a browser does), and prints one ``PASS``/``FAIL``
   line per check (``CHECKS`` in ``config``), the product's mails included: a
   chase run, an escalation, a meeting's agenda and minutes, a published briefing,
   each delivered by the worker to the sink once per recipient.
5. Stops everything it started by process group id (SIGTERM, then SIGKILL after
   a grace period) on success, failure, Ctrl-C or SIGTERM, and checks that none
   of those processes is left.

Exit status: 0 when every check passed, 1 when one failed, 2 when the machine
is not ready (PostgreSQL or Redis unreachable, a bad ``SMOKE_DATABASE_URL``).
The temporary folder (logs, Maildir, static files, media) is removed after a
passing run and kept, with its path printed, after a failing one
(``SMOKE_KEEP=1`` keeps it always).

To add a check: write ``def check_<name>(self) -> str`` on ``WebChecks``
(``web_checks``: what a browser sees), ``TopologyChecks`` (``topology_checks``:
processes, worker, mail transport, logs) or ``MailChecks`` (``mail_checks``: the
product's mails through the worker) that raises ``CheckFailed`` (or any exception)
with what went wrong and returns a short detail on success, and add its name to
``CHECKS`` (``config``) where its prerequisites have run.

The modules: ``config`` (settings, the check list, ``wait_for``), ``browser``
(an HTTP client with cookies, behind a TLS proxy), ``processes`` (the database,
Redis, the environment, starting and stopping the processes), ``web_checks``,
``topology_checks`` and ``mail_checks`` (the checks), ``main`` (runs them, prints the verdict) and
``__main__`` (``python -m deploy.smoke``).
"""
