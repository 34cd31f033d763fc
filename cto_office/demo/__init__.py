"""The demo organisation: GitLab's Engineering division, pseudonymised, with a generated quarter.

- ``derive``: reads GitLab's public handbook data (CC BY-SA 4.0) and produces the
  committed ``gitlab_engineering.json`` (``manage.py derive_demo_data``).
- ``loader``: builds users, teams and memberships from that file, and lists the
  demo logins (``manage.py seed_demo``).
- ``activity``: generates a believable quarter of meetings, decisions, actions,
  escalations, OKR check-ins and snapshots around "today".

See ``CREDITS.md`` in this folder for the source and licence of the data file.
"""

from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "gitlab_engineering.json"
