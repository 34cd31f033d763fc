"""Admin for the action register, the escalation inbox and the chase log.

Escalations are scoped with ``access.escalations_for`` here too: a staff user
who is neither the Chief of Staff nor the CTO does not see confidential ones in
admin either (including in autocomplete, which goes through ``get_queryset``).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect

from actions.errors import ActionsError, EscalationConflict, VersionConflict
from actions.forms.admin import ActionItemAdminForm, SeenVersionForm
from actions.models import ActionItem, ActionUpdate, ChaseNotice, Escalation, EscalationEvent
from actions.services import (
    action_create,
    action_edit,
    action_reassign,
    action_update,
    escalation_edit,
    escalation_raise,
)
from actions.services.action import EDITABLE as ACTION_EDITABLE
from actions.services.escalation_record import EDITABLE
from actions.services.escalation_state import check_version
from cto_office import access


def _pk_from_key_search(model, search_term: str) -> int | None:
    """The id in a search for a key ("ACT-123", "esc-45"); None for any other search.

    A bare number is not taken as a key: it may be part of a title.
    """
    if not search_term.strip().upper().startswith(f"{model.KEY_PREFIX}-"):
        return None
    return model.pk_from_key(search_term)


class RefusalAsMessageMixin:
    """For a model admin whose ``save_model`` calls services: a refusal raised while saving
    (``refusals``, e.g. a conflict that slipped past the form's check because someone saved in
    between) rolls the save back (the admin's ``changeform_view`` is atomic) and shows the
    message on the current object instead of a server error."""

    refusals: tuple[type[Exception], ...] = (VersionConflict,)

    def changeform_view(
        self, request: HttpRequest, object_id=None, form_url="", extra_context=None
    ):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.refusals as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)


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
        pk = _pk_from_key_search(ActionItem, search_term)
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
