"""The demo organisation: GitLab's Engineering division, pseudonymised, with a generated quarter.

- ``derive``: reads GitLab's public handbook data (CC BY-SA 4.0) and produces the
  committed ``gitlab_engineering.json`` (``manage.py derive_demo_data``).
- ``loader``: reads that file and names the five demo logins (no database).
- ``seed``: what ``manage.py seed_demo`` runs, in order:
  ``organisation`` (users, role groups, teams, memberships), then a believable
  quarter around "today" from one random seed: ``snapshots`` (indicators,
  requisitions, weekly tech debt and headcount), ``series`` and ``meetings``
  (agendas, pre-reads, decisions), ``escalations``, ``actions`` (histories,
  chase notices), ``okrs`` (objectives, key results, check-ins). They share a
  ``context.Context`` (organisation, office clock, random source), and every
  text they write is in ``content``.

Imports point one way: ``seed`` → the section modules → ``context`` →
``organisation`` → ``loader``, with ``content`` beside them; no import inside a function.

See ``CREDITS.md`` in this folder for the source and licence of the data file.
"""

from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "gitlab_engineering.json"
