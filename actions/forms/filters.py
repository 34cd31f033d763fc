"""The GET filters of the action register and the escalation inbox.

A filter form is always bound to ``request.GET`` and never shown with errors:
every field is optional, and a value that does not validate (``?status=bogus``,
``?team=x``, the id of a team or person that does not exist) is ignored, as if
that filter were not set. A stale bookmark or a hand-edited URL shows the list,
not an error page; the filter's select then shows "Any", which matches what is
listed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from actions.models import ActionItem, ActionSource, Escalation
from actions.selectors import ME, MY_TEAMS, SORTS, ActionFilters, EscalationFilters
from actions.selectors.register import SOON_DAYS
from cto_office import access
from cto_office.models import Team


class _ListFilterForm(forms.Form):
    """Base for a list page's GET filters: invalid values are ignored, not reported.

    The page renders the fields itself (``{{ form.state }}``), so the selects
    show the same choices the form accepts; ids are ``filter-<name>``.
    """

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, auto_id="filter-%s", **kwargs)

    def cleaned_or_empty(self) -> dict[str, Any]:
        """Each field's cleaned value, or its empty value where the input did not validate.

        Queries: one per ``ModelChoiceField`` given a value (the lookup that
        validates it), none otherwise.
        """
        self.is_valid()  # cleans once; the form caches the result
        return {
            name: self.cleaned_data[name] if name in self.cleaned_data else field.clean("")
            for name, field in self.fields.items()
        }


def _team_field() -> forms.ModelChoiceField:
    """A team, by id. Its queryset also lists the teams in the filter's select."""
    return forms.ModelChoiceField(
        queryset=Team.objects.only("pk", "name"), required=False, empty_label="Any team"
    )


class _OwnerField(forms.ModelChoiceField):
    """A user by id, or ``"me"``/``"teams"`` (kept as the string: the list resolves it to
    the viewer or the teams they lead)."""

    def to_python(self, value: Any) -> Any:
        return value if value in (ME, MY_TEAMS) else super().to_python(value)


class ActionFilterForm(_ListFilterForm):
    """The action register's filters, all in the URL (a view can be bookmarked and shared).

    ``status``: "" (any open status, the default), "all", or one status; ``team``: a team id
    (with the teams below it); ``owner``: "me", "teams" or the id of someone ``user`` may see
    (``access.people_for``: anyone else is ignored, so the page never names them);
    ``due``: "overdue", "week", "soon"; ``source``; ``slipped``: at least N slips; ``sort``.
    ``overdue=1`` (older links) means ``due=overdue``.
    """

    status = forms.ChoiceField(
        required=False, choices=[("", "Open (any)"), *ActionItem.Status.choices, ("all", "All")]
    )
    team = _team_field()
    owner = _OwnerField(queryset=get_user_model().objects.none(), required=False)
    due = forms.ChoiceField(
        required=False,
        label="Due",
        choices=[
            ("", "Any time"),
            ("overdue", "Overdue"),
            ("week", "This week"),
            ("soon", f"Next {SOON_DAYS} days"),
        ],
    )
    overdue = forms.BooleanField(required=False)
    source = forms.ChoiceField(required=False, choices=[("", "Any"), *ActionSource.choices])
    slipped = forms.TypedChoiceField(
        required=False,
        label="Slipped",
        coerce=int,
        empty_value=None,
        choices=[("", "Any"), ("1", "At least once"), ("2", "2+ times"), ("3", "3+ times")],
    )
    sort = forms.ChoiceField(
        required=False, choices=[(key, label) for key, (label, _) in SORTS.items()]
    )

    def __init__(self, data: Any = None, *, user: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["owner"].queryset = access.people_for(user)

    def filters(self) -> ActionFilters:
        """The valid filters, by id, as ``actions.selectors.action_register`` takes them."""
        data = self.cleaned_or_empty()
        user = self.owner_filtered()
        return {
            "status": data["status"],
            "team": data["team"].pk if data["team"] else None,
            "owner": user.pk if user else data["owner"],  # "me", "teams" or None otherwise
            "due": data["due"] or ("overdue" if data["overdue"] else ""),
            "source": data["source"],
            "slipped": data["slipped"],
            "sort": data["sort"],
        }

    def owner_filtered(self) -> AbstractBaseUser | None:
        """The user picked as owner (for the select's label); None for "me", "teams" or nobody."""
        owner = self.cleaned_or_empty()["owner"]
        return owner if isinstance(owner, AbstractBaseUser) else None

    def team_filtered(self) -> Team | None:
        """The team picked (for the team picker's label), or None."""
        return self.cleaned_or_empty()["team"]


class EscalationFilterForm(_ListFilterForm):
    """The escalation inbox's filters (all in the URL, so a view can be bookmarked).

    ``state``: "" (any open state, the default), "all", or one state;
    ``severity``, ``category``: one value; ``team``, ``assignee``: an id;
    ``confidential``: "yes"/"no"; ``sla``: "breached" or "due" (within 24 h);
    ``snoozed``: "" (hidden), "only", "include"; ``q``: text; ``sort``.
    """

    q = forms.CharField(required=False, label="Search", max_length=200)
    state = forms.ChoiceField(
        required=False, choices=[("", "Open (any)"), *Escalation.State.choices, ("all", "All")]
    )
    severity = forms.ChoiceField(
        required=False, choices=[("", "Any"), *Escalation.Severity.choices]
    )
    category = forms.ChoiceField(
        required=False, choices=[("", "Any"), *Escalation.Category.choices]
    )
    team = _team_field()
    assignee = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(escalations_assigned__isnull=False).distinct(),
        required=False,
        empty_label="Anyone",
    )
    confidential = forms.ChoiceField(
        required=False, choices=[("", "Any"), ("yes", "Confidential"), ("no", "Not confidential")]
    )
    sla = forms.ChoiceField(
        required=False,
        label="SLA",
        choices=[("", "Any"), ("breached", "Breached"), ("due", "Due within 24 h")],
    )
    snoozed = forms.ChoiceField(
        required=False,
        choices=[("", "Hide snoozed"), ("only", "Snoozed only"), ("include", "Include snoozed")],
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Newest first"),
            ("sla", "SLA due"),
            ("severity", "Severity"),
            ("age", "Oldest first"),
        ],
    )

    def filters(self) -> EscalationFilters:
        """The valid filters, by id, as ``actions.selectors.escalation_list`` takes them."""
        data = self.cleaned_or_empty()
        return {
            "state": data["state"],
            "severity": data["severity"],
            "category": data["category"],
            "team": data["team"].pk if data["team"] else None,
            "assignee": data["assignee"].pk if data["assignee"] else None,
            "confidential": data["confidential"],
            "sla": data["sla"],
            "snoozed": data["snoozed"],
            "q": data["q"],
            "sort": data["sort"],
        }
