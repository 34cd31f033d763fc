"""``cto_office.demo.actions``: the title of an action that follows up an escalation."""

from __future__ import annotations

from actions.models import Escalation
from cto_office.demo.actions import follow_up_title


def test_a_follow_up_names_the_escalation_and_its_title():
    escalation = Escalation(pk=12, title="Cloud renewal blocked in procurement")
    assert follow_up_title(escalation) == "Follow up ESC-12: Cloud renewal blocked in procurement"


def test_a_confidential_follow_up_does_not_repeat_the_title():
    escalation = Escalation(pk=7, title="Attrition risk: two seniors", confidential=True)
    title = follow_up_title(escalation)
    assert title == "Follow up confidential escalation ESC-7"
    assert "Attrition" not in title


def test_a_follow_up_title_fits_the_column():
    escalation = Escalation(pk=3, title="x" * 300)
    assert len(follow_up_title(escalation)) == 300
