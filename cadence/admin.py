"""Admin for the cadence: series, meetings with their agenda and pre-reads, the decision log.

The power tool for set-up and repair. What has rules goes through the services:
a meeting's state (and its iCalendar bookkeeping) is read-only here and moves by
the admin actions, which call the same services (and mail wrappers) as the
meeting page; a series' meetings are scheduled by ``services.series_schedule``
after it is saved; pre-read files are uploaded on the meeting page only, where
their content is checked (``cadence.uploads``), so here they are read-only.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from cadence import services, tasks
from cadence.models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingSeries,
    PreRead,
    PreReadAcknowledgement,
)


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "owner", "rrule", "time_zone", "duration_minutes")
    list_filter = ("kind",)
    search_fields = ("title",)
    autocomplete_fields = ("owner", "default_attendees")
    list_select_related = ("owner",)
    readonly_fields = ("ical_uid",)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # After the attendees are saved, so new meetings get them.
        super().save_related(request, form, formsets, change)
        services.series_schedule(series=form.instance, by=request.user)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ("position", "title", "kind", "presenter", "time_box_minutes", "notes")
    autocomplete_fields = ("presenter",)


class PreReadInline(admin.StackedInline):
    model = PreRead
    extra = 0
    fields = (("title", "due_by"), "agenda_item", ("url", "file"), "body")
    readonly_fields = ("file",)
    raw_id_fields = ("agenda_item",)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "start", "end", "kind", "state", "series", "attendee_count")
    list_filter = ("state", "kind", "series")
    search_fields = ("title", "location", "series__title")
    date_hierarchy = "start"
    autocomplete_fields = ("series", "attendees")
    list_select_related = ("series",)
    inlines = (AgendaItemInline, PreReadInline)
    readonly_fields = ("state", "sequence", "original_start", "live_started_at", "ical_uid")
    actions = ("publish_agenda", "cancel_meetings")

    def _each(self, request: HttpRequest, queryset: QuerySet[Meeting], change, done: str) -> None:
        changed = 0
        for meeting in queryset:
            try:
                change(meeting=meeting, by=request.user)
            except services.CadenceError as exc:
                self.message_user(request, f"{meeting}: {exc}", messages.WARNING)
            else:
                changed += 1
        if changed:
            self.message_user(request, f"{changed} meeting(s) {done}.", messages.SUCCESS)

    @admin.action(description="Publish the agenda (mails the attendees)")
    def publish_agenda(self, request: HttpRequest, queryset: QuerySet[Meeting]) -> None:
        self._each(request, queryset, tasks.agenda_publish_and_mail, "published")

    @admin.action(description="Cancel (this occurrence only)")
    def cancel_meetings(self, request: HttpRequest, queryset: QuerySet[Meeting]) -> None:
        self._each(request, queryset, services.meeting_cancel, "cancelled")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Meeting]:
        # One aggregate in the list query instead of one count per row.
        return (
            super().get_queryset(request).annotate(attendee_total=Count("attendees", distinct=True))
        )

    @admin.display(description="attendees", ordering="attendee_total")
    def attendee_count(self, obj: Meeting) -> int:
        return obj.attendee_total


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ("title", "meeting", "position", "kind", "presenter", "time_box_minutes")
    list_filter = ("kind",)
    search_fields = ("title", "meeting__title")
    autocomplete_fields = ("meeting", "presenter")
    list_select_related = ("meeting", "presenter")


class PreReadAcknowledgementInline(admin.TabularInline):
    model = PreReadAcknowledgement
    extra = 0
    fields = ("user", "read_at")
    autocomplete_fields = ("user",)


@admin.register(PreRead)
class PreReadAdmin(admin.ModelAdmin):
    list_display = ("title", "meeting", "due_by", "content", "read_count")
    readonly_fields = ("file",)
    search_fields = ("title", "meeting__title")
    autocomplete_fields = ("meeting",)
    raw_id_fields = ("agenda_item",)
    list_select_related = ("meeting",)
    inlines = (PreReadAcknowledgementInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[PreRead]:
        return (
            super()
            .get_queryset(request)
            .annotate(read_total=Count("acknowledgements", distinct=True))
        )

    @admin.display(description="read by", ordering="read_total")
    def read_count(self, obj: PreRead) -> int:
        return obj.read_total

    @admin.display(description="content")
    def content(self, obj: PreRead) -> str:
        return ", ".join(
            kind
            for kind, present in (("file", obj.file), ("link", obj.url), ("text", obj.body))
            if present
        )


@admin.register(PreReadAcknowledgement)
class PreReadAcknowledgementAdmin(admin.ModelAdmin):
    list_display = ("pre_read", "user", "read_at")
    search_fields = ("pre_read__title", "user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("pre_read", "user")
    list_select_related = ("pre_read", "user")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("summary", "meeting", "decided_on", "decided_by")
    list_filter = ("decided_on",)
    search_fields = ("summary", "rationale", "meeting__title")
    date_hierarchy = "decided_on"
    autocomplete_fields = ("meeting", "decided_by")
    raw_id_fields = ("agenda_item",)
    list_select_related = ("meeting", "decided_by")
