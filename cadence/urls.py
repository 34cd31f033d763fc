from django.urls import path

from cadence.views import agenda, calendars, capture, decisions, meetings, pre_reads, series

app_name = "cadence"

urlpatterns = [
    path("", meetings.meetings, name="meetings"),
    path("new/", meetings.meeting_create, name="meeting_create"),
    path("decisions/", decisions.decision_log, name="decision_log"),
    path("decisions.csv", decisions.decision_log_csv, name="decision_log_csv"),
    path("series/new/", series.series_create, name="series_create"),
    path("series/preview/", series.series_preview, name="series_preview"),
    path("series/<int:pk>/", series.series_edit, name="series_edit"),
    path("<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("<int:pk>/meeting.ics", calendars.meeting_ics, name="meeting_ics"),
    path("<int:pk>/pack.pdf", meetings.meeting_pack, name="meeting_pack"),
    path("calendar/", calendars.calendar, name="calendar"),
    path("calendar/feed/new/", calendars.calendar_feed_rotate, name="calendar_feed_rotate"),
    path("calendar/feed/revoke/", calendars.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("calendar/import/", calendars.calendar_import, name="calendar_import"),
    path("feed/<str:token>.ics", calendars.calendar_feed, name="calendar_feed"),
    path("<int:pk>/publish-agenda/", meetings.agenda_publish, name="agenda_publish"),
    path("<int:pk>/start/", meetings.meeting_go_live, name="meeting_go_live"),
    path("<int:pk>/next-item/", meetings.agenda_item_advance, name="agenda_item_advance"),
    path("<int:pk>/end/", meetings.meeting_mark_held, name="meeting_mark_held"),
    path("<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/reschedule/", meetings.meeting_reschedule, name="meeting_reschedule"),
    path("<int:pk>/minutes/", meetings.minutes_save, name="minutes_save"),
    path("<int:pk>/publish-minutes/", meetings.minutes_publish, name="minutes_publish"),
    path("<int:pk>/rate/", meetings.meeting_rate, name="meeting_rate"),
    path("<int:pk>/agenda/", agenda.agenda_item_add, name="agenda_item_add"),
    path("<int:pk>/agenda/move/", agenda.agenda_item_move, name="agenda_item_move"),
    path("<int:pk>/agenda/edit/", agenda.agenda_item_update, name="agenda_item_update"),
    path("<int:pk>/agenda/remove/", agenda.agenda_item_remove, name="agenda_item_remove"),
    path("<int:pk>/pre-reads/", pre_reads.pre_read_add, name="pre_read_add"),
    path("<int:pk>/pre-reads/read/", pre_reads.pre_read_acknowledge, name="pre_read_acknowledge"),
    path(
        "pre-reads/<int:pre_read_pk>/file/", pre_reads.pre_read_download, name="pre_read_download"
    ),
    path("<int:pk>/decisions/", capture.decision_record, name="decision_record"),
    path("<int:pk>/actions/", capture.action_capture, name="action_capture"),
    path("<int:pk>/carry-over/", capture.carry_over_review, name="carry_over_review"),
]
