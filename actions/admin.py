"""Admin for the action register, the escalation inbox and the chase log.

Escalations are scoped with ``access.escalations_for`` here too: a staff user
who is neither the Chief of Staff nor the CTO does not see confidential ones in
admin either (including in autocomplete, which goes through ``get_queryset``).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from actions.models import ActionItem, ActionUpdate, ChaseNotice, Escalation
from cto_office import access


def _pk_from_key_search(model, search_term: str) -> int | None:
    """The id in a search for a key ("ACT-123", "esc-45"); None for any other search.

    A bare number is not taken as a key: it may be part of a title.
    """
    if not search_term.strip().upper().startswith(f"{model.KEY_PREFIX}-"):
        return None
    return model.pk_from_key(search_term)


class ActionUpdateInline(admin.TabularInline):
    """The append-only history: shown, never edited here."""

    model = ActionUpdate
    extra = 0
    can_delete = False
    fields = (
        "created_at",
        "author",
        "from_status",
        "to_status",
        "old_due_date",
        "new_due_date",
        "reason",
        "note",
    )
    readonly_fields = fields
    ordering = ("created_at", "pk")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ActionUpdate]:
        return super().get_queryset(request).select_related("author")


class ActionItemAdminForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = "__all__"

    def clean(self) -> dict:
        """Keep ``completed_at`` consistent with the status (the database insists on it)."""
        data = super().clean()
        status = data.get("status")
        if status == ActionItem.Status.DONE and not data.get("completed_at"):
            data["completed_at"] = timezone.now()
        elif status and status != ActionItem.Status.DONE:
            data["completed_at"] = None
        return data


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    form = ActionItemAdminForm
    list_display = ("key", "title", "owner", "team", "due_date", "priority", "status")
    list_display_links = ("key", "title")
    list_filter = ("status", "priority", "source", "team")
    search_fields = (
        "title",
        "owner__username",
        "owner__first_name",
        "owner__last_name",
        "team__name",
    )
    search_help_text = "Search by title, owner or team, or by key (ACT-123)."
    date_hierarchy = "due_date"
    autocomplete_fields = (
        "owner",
        "team",
        "created_by",
        "source_meeting",
        "source_decision",
        "source_escalation",
    )
    list_select_related = ("owner", "team")
    readonly_fields = ("key", "version", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("key", "title", "description", "owner", "team")}),
        ("Status", {"fields": ("status", "priority", "due_date", "completed_at", "version")}),
        (
            "Source",
            {
                "fields": (
                    "source",
                    "source_meeting",
                    "source_decision",
                    "source_escalation",
                    "created_by",
                )
            },
        ),
        ("Times", {"fields": ("created_at", "updated_at")}),
    )
    inlines = (ActionUpdateInline,)

    def get_fieldsets(self, request: HttpRequest, obj: ActionItem | None = None):
        """Someone who may not see every escalation gets the source escalation read-only
        and by key only: the autocomplete widget's selected option would otherwise print
        a confidential escalation's title."""
        if access.is_office(request.user):
            return self.fieldsets
        return tuple(
            (
                name,
                {
                    **opts,
                    "fields": tuple(
                        "source_escalation_shown" if f == "source_escalation" else f
                        for f in opts["fields"]
                    ),
                },
            )
            for name, opts in self.fieldsets
        )

    def get_readonly_fields(self, request: HttpRequest, obj: ActionItem | None = None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if access.is_office(request.user) else (*fields, "source_escalation_shown")

    @admin.display(description="source escalation")
    def source_escalation_shown(self, obj: ActionItem) -> str:
        # The key only: the title may be confidential, and a model admin has no request here.
        return (
            f"{Escalation.KEY_PREFIX}-{obj.source_escalation_id}"
            if obj.source_escalation_id
            else "—"
        )

    @admin.display(description="key", ordering="pk")
    def key(self, obj: ActionItem) -> str:
        return obj.key if obj.pk else "—"

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        pk = _pk_from_key_search(ActionItem, search_term)
        if pk is not None:
            return queryset.filter(pk=pk), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request: HttpRequest, obj: ActionItem, form, change: bool) -> None:
        """An edit in admin bumps the version (so an open edit form elsewhere sees a conflict)
        and records what changed in the history, like any other change."""
        if change:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        obj.refresh_from_db(fields=["version"])
        if change and ({"status", "due_date"} & set(form.changed_data)):
            ActionUpdate.objects.create(
                action=obj,
                author=request.user,
                from_status=form.initial.get("status", "") if "status" in form.changed_data else "",
                to_status=obj.status if "status" in form.changed_data else "",
                old_due_date=form.initial.get("due_date")
                if "due_date" in form.changed_data
                else None,
                new_due_date=obj.due_date if "due_date" in form.changed_data else None,
                reason="Changed in admin" if "due_date" in form.changed_data else "",
                note="Changed in admin.",
            )


@admin.register(ActionUpdate)
class ActionUpdateAdmin(admin.ModelAdmin):
    """Append-only: viewable and searchable, never changed or deleted."""

    list_display = ("action", "created_at", "author", "from_status", "to_status", "new_due_date")
    list_filter = ("to_status",)
    search_fields = ("action__title", "note", "reason")
    date_hierarchy = "created_at"
    list_select_related = ("action", "author")
    raw_id_fields = ("action",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class EscalationAdminForm(forms.ModelForm):
    class Meta:
        model = Escalation
        fields = "__all__"

    def clean(self) -> dict:
        """Stamp the closing time and require an owner when routed, as the database requires."""
        data = super().clean()
        state = data.get("state")
        if state in (Escalation.State.RESOLVED, Escalation.State.DECLINED) and not data.get(
            "resolved_at"
        ):
            data["resolved_at"] = timezone.now()
        if state == Escalation.State.RAISED_TO_CTO and not data.get("raised_to_cto_at"):
            data["raised_to_cto_at"] = timezone.now()
        if state == Escalation.State.ROUTED and not data.get("routed_to"):
            self.add_error("routed_to", "A routed escalation needs the person it is routed to.")
        return data


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    form = EscalationAdminForm
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
    autocomplete_fields = ("raised_by", "team", "assignee", "routed_to")
    list_select_related = ("team", "raised_by")
    readonly_fields = ("key", "updated_at")
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
                )
            },
        ),
        ("Triage", {"fields": ("state", "assignee", "routed_to", "resolution_note")}),
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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Escalation]:
        # The access rules apply in admin too (confidential escalations).
        return access.escalations_for(request.user)

    @admin.display(description="key", ordering="pk")
    def key(self, obj: Escalation) -> str:
        return obj.key if obj.pk else "—"

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        pk = _pk_from_key_search(Escalation, search_term)
        if pk is not None:
            return queryset.filter(pk=pk), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(ChaseNotice)
class ChaseNoticeAdmin(admin.ModelAdmin):
    """The record of reminders sent: viewable; not added or edited by hand (that would falsify it)."""

    list_display = ("action_key", "action", "recipient", "level", "sent_on", "sent_at")
    list_filter = ("level", "sent_on")
    search_fields = ("action__title", "recipient__username", "recipient__last_name")
    date_hierarchy = "sent_on"
    list_select_related = ("action", "recipient")
    raw_id_fields = ("action",)

    @admin.display(description="key", ordering="action_id")
    def action_key(self, obj: ChaseNotice) -> str:
        return obj.action.key

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        pk = _pk_from_key_search(ActionItem, search_term)
        if pk is not None:
            return queryset.filter(action_id=pk), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
