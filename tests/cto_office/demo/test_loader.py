"""``cto_office.demo.loader``: the data file and the five demo logins, without a database."""

from __future__ import annotations

from cto_office import access
from cto_office.demo.loader import DEMO_PASSWORD, demo_login_people, format_logins, load_data


def test_five_logins_one_per_role_in_display_order():
    logins = demo_login_people(load_data())
    assert [login.role for login in logins] == [
        access.CHIEF_OF_STAFF,
        access.CTO,
        access.TEAM_LEAD,
        access.TEAM_LEAD,
        "Staff",
    ]
    assert len({login.username for login in logins}) == 5


def test_the_table_lists_every_login_with_the_password():
    table = format_logins().splitlines()
    assert table[0].split() == ["username", "role", "password"]
    assert set(table[1]) <= {"-", " "}
    for login in demo_login_people(load_data()):
        assert any(line.startswith(login.username) and DEMO_PASSWORD in line for line in table)
