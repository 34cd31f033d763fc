"""The role groups of DESIGN.md §1 and the admin permissions each carries."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from cto_office.access import CHIEF_OF_STAFF, CTO, TEAM_LEAD

# The Chief of Staff uses Django admin as the power tool (DESIGN.md §1): every
# permission on the product's own models and on sign-in lockouts (django-axes, to
# unlock someone), plus viewing users and groups.
_COS_APPS = ("cto_office", "cadence", "actions", "briefings", "axes")


def ensure_role_groups(**kwargs) -> None:
    """Create the role groups and grant the Chief of Staff's admin permissions.

    Connected to ``post_migrate`` (which runs after the permissions exist), so
    every ``migrate`` leaves the groups complete; idempotent.
    """
    cos, _ = Group.objects.get_or_create(name=CHIEF_OF_STAFF)
    Group.objects.get_or_create(name=CTO)
    Group.objects.get_or_create(name=TEAM_LEAD)
    perms = Permission.objects.filter(
        content_type__app_label__in=_COS_APPS
    ) | Permission.objects.filter(
        content_type__app_label="auth", codename__in=("view_user", "view_group")
    )
    cos.permissions.add(*perms)
