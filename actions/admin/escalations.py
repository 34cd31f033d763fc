"""Admin for escalations, through the same services and version check as the inbox.

Escalations are scoped with ``access.escalations_for`` here too: a staff user
who is neither the Chief of Staff nor the CTO does not see confidential ones in
admin either (including in autocomplete, which goes through ``get_queryset``).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from actions.admin.common import RefusalAsMessageMixin, pk_from_key_search
from actions.errors import EscalationConflict
from actions.forms.admin import SeenVersionForm
from actions.models import Escalation, EscalationEvent
from actions.services import (
    escalation_edit,
    escalation_raise,
)
from actions.services.escalation_record import EDITABLE
from actions.services.escalation_state import check_version
from cto_office import access


class EscalationAdminForm(SeenVersionForm):
    """The admin's escalation form: descriptive fields only (``services.EDITABLE``), plus the
    version the editor loaded, checked before saving (an error on the form, input kept) and
    again atomically by the service."""

    class Meta:
        model = Escalation
        fields = EDITABLE

    def check_seen_version(self, seen: int) -> None:
        check_version(self.instance, seen)


class EscalationEventInline(admin.TabularInline):
    """The escalation's append-only history: shown, never edited here."""

    model = EscalationEvent
    extra = 0
    can_delete = False
    fields = ("at", "actor", "kind", "from_state", "to_state", "note")
    readonly_fields = fields
    ordering = ("at", "pk")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[EscalationEvent]:
        return super().get_queryset(request).select_related("actor")


@admin.register(Escalation)
class EscalationAdmin(RefusalAsMessageMixin, admin.ModelAdmin):
    form = EscalationAdminForm
    refusals = (EscalationConflict,)
    list_display = (
        "key",
        "title",
        "severity",
        "state",
        "team",
        "confidential",
        "created_at",
        "sla_due_at",
    )
    list_display_links = ("key", "title")
    list_filter = ("state", "severity", "category", "confidential", "team")
    search_fields = (
        "title",
        "description",
        "raised_by__username",
        "raised_by__first_name",
        "raised_by__last_name",
    )
    search_help_text = "Search by title, description or who raised it, or by key (ESC-45)."
    date_hierarchy = "created_at"
    autocomplete_fields = ("team", "assignee")
    list_select_related = ("team", "raised_by")
    readonly_fields = (
        "key",
        "raised_by",
        "state",
        "routed_to",
        "duplicate_of",
        "resolution_note",
        "snoozed_until",
        "snooze_reason",
        "created_at",
        "sla_due_at",
        "raised_to_cto_at",
        "resolved_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "key",
                    "title",
                    "description",
                    "raised_by",
                    "team",
                    "category",
                    "severity",
                    "confidential",
                    "seen_version",
                )
            },
        ),
        (
            "Triage (change it in the inbox: every move is a recorded transition)",
            {
                "fields": (
                    "state",
                    "assignee",
                    "routed_to",
                    "duplicate_of",
                    "resolution_note",
                    "snoozed_until",
                    "snooze_reason",
                )
            },
        ),
        (
            "Times",
            {
                "fields": (
                    "created_at",
                    "sla_due_at",
                    "raised_to_cto_at",
                    "resolved_at",
                    "updated_at",
                )
            },
        ),
    )
    inlines = (EscalationEventInline,)

    def get_fieldsets(self, request: HttpRequest, obj: Escalation | None = None):
        """Adding one is raising it (as the signed-in user): its descriptive fields only."""
        if obj is None:
            return ((None, {"fields": tuple(f for f in EDITABLE if f != "assignee")}),)
        return self.fieldsets

    def get_inlines(self, request: HttpRequest, obj: Escalation | None):
        return self.inlines if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Escalation, form, change: bool) -> None:
        """Through the services: adding raises it (``escalation_raise``, by the signed-in user);
        a change is ``escalation_edit`` with the version the editor loaded, so of two admin
        saves the second gets the conflict instead of silently wiping the first."""
        data = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE}
        if not change:
            data.pop("assignee", None)
            saved = escalation_raise(by=request.user, **data)
            obj.pk, obj.version = saved.pk, saved.version
            return
        obj.refresh_from_db()  # the form wrote its values onto obj; the service sets them
        obj.version = form.cleaned_data["seen_version"]
        escalation_edit(escalation=obj, by=request.user, **data)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Escalation]:
        # The access rules apply in admin too (confidential escalations).
        return access.escalations_for(request.user)

    @admin.display(description="key", ordering="pk")
    def key(self, obj: Escalation) -> str:
        return obj.key if obj.pk else "—"

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        pk = pk_from_key_search(Escalation, search_term)
        if pk is not None:
            return queryset.filter(pk=pk), False
        return super().get_search_results(request, queryset, search_term)
