from actions.models import ActionItem, Escalation
from tests import factories


def test_keys_are_prefixed_ids(db):
    action = factories.ActionItemFactory()
    escalation = factories.EscalationFactory()
    assert action.key == f"ACT-{action.pk}"
    assert escalation.key == f"ESC-{escalation.pk}"
    assert ActionItem.pk_from_key("act-12") == 12
    assert Escalation.pk_from_key("ESC-7 ") == 7
    assert Escalation.pk_from_key("ACT-7") is None
