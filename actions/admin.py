"""Admin for the action register, the escalation inbox and the chase log.

Escalations are scoped with ``access.escalations_for`` here too: a staff user
who is neither the Chief of Staff nor the CTO does not see confidential ones in
admin either (including in autocomplete, which goes through ``get_queryset``).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.utils import timezone

from actions.errors import EscalationConflict
from actions.models import ActionItem, ActionUpdate, ChaseNotice, Escalation, EscalationEvent
from actions.services import escalation_edit, escalation_raise
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
    """The admin's escalation form: descriptive fields only (``services.EDITABLE``), plus the
    version the editor loaded, checked before saving (an error on the form, input kept) and
    again atomically by the service."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Escalation
        fields = EDITABLE

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.pk:
            try:
                check_version(self.instance, data.get("seen_version") or 0)
            except EscalationConflict as error:
                raise forms.ValidationError(str(error)) from error
        return data


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

    def changeform_view(
        self, request: HttpRequest, object_id=None, form_url="", extra_context=None
    ):
        """A conflict that slipped past the form's check (a save in between) rolls the save back
        and shows the conflict on the current escalation."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EscalationConflict as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)

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
