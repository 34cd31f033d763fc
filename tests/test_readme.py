"""The README's promises stay true: its two commands exist and its demo logins are the real ones."""

from __future__ import annotations

import re
from pathlib import Path

from cto_office.demo.loader import DEMO_PASSWORD, demo_logins

ROOT = Path(__file__).resolve().parent.parent


def test_readme_lists_the_demo_logins_that_seed_demo_creates():
    readme = (ROOT / "README.md").read_text()
    for username, role in demo_logins():
        assert re.search(rf"`{re.escape(username)}` \| {re.escape(role)}", readme), username
    assert DEMO_PASSWORD in readme


def test_the_two_commands_are_make_targets_and_ci_runs_the_test_one():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()
