"""Admin for the action register and the chase log: every change goes through the services
(``actions.services.action``), with the version the form was loaded with."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from actions.admin.common import RefusalAsMessageMixin, pk_from_key_search
from actions.errors import ActionsError
from actions.forms.admin import ActionItemAdminForm
from actions.models import ActionItem, ActionUpdate, ChaseNotice, Escalation
from actions.services import (
    action_create,
    action_edit,
    action_reassign,
    action_update,
)
from actions.services.action import EDITABLE as ACTION_EDITABLE
from cto_office import access


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


@admin.register(ActionItem)
class ActionItemAdmin(RefusalAsMessageMixin, admin.ModelAdmin):
    """Actions in admin, written through the register's services (see ``ActionItemAdminForm``);
    a refusal (conflict, a later due date without a reason) is shown as a message."""

    form = ActionItemAdminForm
    refusals = (ActionsError,)
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
    autocomplete_fields = ("owner", "team")
    list_select_related = ("owner", "team")
    readonly_fields = (
        "key",
        "completed_at",
        "source",
        "source_meeting",
        "source_decision",
        "source_escalation",
        "created_by",
        "created_at",
        "updated_at",
    )
    add_fieldsets = (
        (None, {"fields": ("title", "description", "owner", "team", "due_date", "priority")}),
    )
    fieldsets = (
        (None, {"fields": ("key", "title", "description", "owner", "team", "seen_version")}),
        (
            "Status",
            {"fields": ("status", "priority", "due_date", "reason", "note", "completed_at")},
        ),
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
        """Adding one: what ``action_create`` takes (a manual action by the signed-in user).

        Someone who may not see every escalation gets the source escalation read-only
        and by key only: the autocomplete widget's selected option would otherwise print
        a confidential escalation's title."""
        if obj is None:
            return self.add_fieldsets
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

    def get_inlines(self, request: HttpRequest, obj: ActionItem | None):
        return self.inlines if obj is not None else ()

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
        pk = pk_from_key_search(ActionItem, search_term)
        if pk is not None:
            return queryset.filter(pk=pk), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request: HttpRequest, obj: ActionItem, form, change: bool) -> None:
        """Through the services, as the signed-in user: adding is ``action_create``; a change
        is ``action_reassign``, ``action_edit`` and ``action_update`` for what changed, in that
        order, starting from the version the editor loaded (all in the admin's transaction:
        one refusal undoes the rest)."""
        data, changed = form.cleaned_data, set(form.changed_data)
        if not change:
            saved = action_create(
                by=request.user,
                **{
                    name: data[name] for name in ActionItemAdminForm.Meta.fields if name != "status"
                },
            )
            obj.pk, obj.version = saved.pk, saved.version
            return
        obj.refresh_from_db()  # the form wrote its values onto obj; the services set them
        action, by = obj, request.user
        action.version = data["seen_version"]
        if "owner" in changed:
            action = action_reassign(
                action=action, by=by, version=action.version, owner=data["owner"]
            )
        edits = {name: data[name] for name in ACTION_EDITABLE if name in changed}
        if edits:
            action = action_edit(action=action, by=by, version=action.version, **edits)
        if changed & {"status", "due_date", "note"}:
            action_update(
                action=action,
                by=by,
                version=action.version,
                status=data["status"] if "status" in changed else None,
                due_date=data["due_date"] if "due_date" in changed else None,
                reason=data["reason"],
                note=data["note"],
            )
        obj.refresh_from_db()


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
        pk = pk_from_key_search(ActionItem, search_term)
        if pk is not None:
            return queryset.filter(action_id=pk), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
