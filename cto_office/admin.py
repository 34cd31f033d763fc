"""Admin for the organisation: teams, memberships, the office settings singleton, and users with their team."""

from __future__ import annotations

from typing import ClassVar

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from cto_office.models import Membership, OfficeSettings, Team

User = get_user_model()


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "team"
    extra = 0
    fields = ("user", "title", "manager")
    autocomplete_fields = ("user", "manager")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "function", "parent", "lead")
    list_filter = ("function",)
    search_fields = ("name", "slug")
    prepopulated_fields: ClassVar[dict[str, tuple[str, ...]]] = {"slug": ("name",)}
    autocomplete_fields = ("parent", "lead")
    list_select_related = ("parent", "lead")
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "title", "team", "manager")
    list_filter = ("team__function", "team")
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "title",
        "team__name",
    )
    autocomplete_fields = ("user", "team", "manager")
    list_select_related = ("user", "team", "manager")


@admin.register(OfficeSettings)
class OfficeSettingsAdmin(admin.ModelAdmin):
    """One row: the list page goes straight to it (or to the add form the first time); never deleted."""

    fieldsets = (
        (None, {"fields": ("organisation_name", "time_zone")}),
        ("Weekly briefing", {"fields": ("briefing_weekday", "briefing_hour")}),
        (
            "Chasing and SLAs",
            {
                "fields": ("chase_hour", "chase_ladder", "sla_hours"),
                "description": "Chase ladder: days overdue before chasing the owner, the owner's team lead "
                "and the Chief of Staff, e.g. [1, 4, 8]. SLA: hours to triage an escalation, by severity.",
            },
        ),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not OfficeSettings.objects.exists()

    def has_delete_permission(
        self, request: HttpRequest, obj: OfficeSettings | None = None
    ) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        row = OfficeSettings.objects.first()
        if row is None:
            return HttpResponseRedirect(reverse("admin:cto_office_officesettings_add"))
        return HttpResponseRedirect(
            reverse("admin:cto_office_officesettings_change", args=[row.pk])
        )


class MembershipForUserInline(admin.StackedInline):
    model = Membership
    fk_name = "user"
    can_delete = False
    fields = ("team", "title", "manager")
    autocomplete_fields = ("team", "manager")


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Django's user admin, with the person's team and title on the same page."""

    inlines = (MembershipForUserInline,)
    list_display = ("username", "email", "first_name", "last_name", "team", "is_staff", "is_active")
    list_select_related = ("membership__team",)

    @admin.display(ordering="membership__team__name")
    def team(self, obj) -> str:
        membership = getattr(obj, "membership", None)
        return membership.team.name if membership else "—"
