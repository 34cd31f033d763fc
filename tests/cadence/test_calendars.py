"""Calendars: import checked against recurring-ical-events (the oracle) on the two real
files and on an Exchange-style file, a broken file, the command, and the feed parsed back."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from io import StringIO
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cadence import services
from cadence.calendars import CalendarError, parse_calendar
from cadence.models import Meeting, MeetingSeries, MeetingState
from tests import factories

pytestmark = pytest.mark.django_db

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "calendars"
NOW = dt.datetime(2019, 12, 1, tzinfo=dt.UTC)
#: From before the first event to the import horizon (NOW + 91 days).
WINDOW = (dt.datetime(2000, 1, 1, tzinfo=dt.UTC), NOW + services.SCHEDULE_HORIZON)
#: Series and instances of the Google file from NOW to the horizon (the default import).
GOOGLE_FROM_NOW = (7, 77)

EXCHANGE = b"""BEGIN:VCALENDAR
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:exchange-weekly-1
SUMMARY:Architecture review
DTSTART;TZID=W. Europe Standard Time:20191007T100000
DURATION:PT45M
RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20191230T090000Z
EXDATE;TZID=W. Europe Standard Time:20191021T100000
END:VEVENT
BEGIN:VEVENT
UID:exchange-weekly-1
RECURRENCE-ID;TZID=W. Europe Standard Time:20191028T100000
SUMMARY:Architecture review (moved)
DTSTART;TZID=W. Europe Standard Time:20191029T140000
DTEND;TZID=W. Europe Standard Time:20191029T144500
END:VEVENT
BEGIN:VEVENT
UID:exchange-weekly-1
RECURRENCE-ID;TZID=W. Europe Standard Time:20191104T100000
SUMMARY:Architecture review
STATUS:CANCELLED
DTSTART;TZID=W. Europe Standard Time:20191104T100000
DTEND;TZID=W. Europe Standard Time:20191104T104500
END:VEVENT
BEGIN:VEVENT
UID:allday-1
SUMMARY:Offsite
DTSTART;VALUE=DATE:20191120
DTEND;VALUE=DATE:20191122
END:VEVENT
END:VCALENDAR
"""


def _oracle(data: bytes, window=WINDOW) -> set[tuple[str, dt.datetime, bool]]:
    """(UID, start in UTC, cancelled) of every instance recurring-ical-events finds starting
    in ``window``."""
    cal = icalendar.Calendar.from_ical(data)
    fallback = zoneinfo.ZoneInfo(str(cal.get("X-WR-TIMEZONE", "UTC")))
    found = set()
    for event in recurring_ical_events.of(cal).between(*window):
        start = event.decoded("DTSTART")
        if not isinstance(start, dt.datetime):
            start = dt.datetime.combine(start, dt.time(0))
        if start.tzinfo is None:
            start = start.replace(tzinfo=fallback)
        cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
        if window[0] <= start < window[1]:  # between() also returns events still running
            found.add((str(event["UID"]), start.astimezone(dt.UTC), cancelled))
    return found


def _imported(data: bytes, name: str, window=WINDOW) -> set[tuple[str, dt.datetime, bool]]:
    return {
        (event.uid, o.start.astimezone(dt.UTC), o.cancelled)
        for event in parse_calendar(data, name=name)
        for o in event.occurrences(*window)
    }


@pytest.mark.parametrize(
    "name, expected",
    [("google_machbar_public_2019.ics", 625), ("outlook16_powershell_community_call.ics", 11)],
)
def test_real_files_expand_like_the_oracle(name, expected):
    data = (REAL / name).read_bytes()
    oracle = _oracle(data)
    assert _imported(data, name) == oracle
    assert len(oracle) == expected


def test_exchange_file_with_windows_zone_exdate_moved_cancelled_all_day_duration():
    events = {e.uid: e for e in parse_calendar(EXCHANGE, name="exchange.ics")}
    weekly = events["exchange-weekly-1"]
    assert weekly.time_zone == "Europe/Berlin"
    assert weekly.duration == dt.timedelta(minutes=45)
    assert events["allday-1"].all_day and events["allday-1"].duration == dt.timedelta(days=2)
    assert _imported(EXCHANGE, "exchange.ics") == _oracle(EXCHANGE)
    starts = [o.start for o in weekly.occurrences(*WINDOW)]
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    assert dt.datetime(2019, 10, 21, 10, tzinfo=berlin) not in starts  # EXDATE
    assert dt.datetime(2019, 10, 29, 14, tzinfo=berlin) in starts  # moved
    assert {
        (o.start.hour, o.start.minute)
        for o in weekly.occurrences(*WINDOW)
        if o.start.date() != dt.date(2019, 10, 29)
    } == {(10, 0)}  # across the Oct DST change


@pytest.mark.parametrize(
    "name, since, series, occurrences",
    [
        ("google_machbar_public_2019.ics", WINDOW[0], 24, 625),
        ("outlook16_powershell_community_call.ics", WINDOW[0], 1, 11),
        ("google_machbar_public_2019.ics", None, GOOGLE_FROM_NOW[0], GOOGLE_FROM_NOW[1]),
        ("outlook16_powershell_community_call.ics", None, 1, 3),
    ],
)
def test_import_creates_the_oracles_occurrences_as_meetings(cos, name, since, series, occurrences):
    data = (REAL / name).read_bytes()
    events = parse_calendar(data, name=name)
    result = services.calendar_import(by=cos, events=events, now=NOW, since=since)
    window = services.import_window(now=NOW, since=since)
    # Every instance the oracle finds in the window is a meeting at the same time and with
    # the same status; each EXDATE there is one more, cancelled, so the scheduler never
    # recreates it. By default the window starts now: history is not imported.
    oracle = Counter((start, cancelled) for _uid, start, cancelled in _oracle(data, window))
    excluded = Counter(
        (aware.astimezone(dt.UTC), True)
        for event in events
        for aware in (x.replace(tzinfo=event.first_start.tzinfo) for x in event.exdates)
        if window[0] <= aware < window[1]
    )
    meetings = Counter(
        (start, state == MeetingState.CANCELLED)
        for start, state in Meeting.objects.values_list("start", "state")
    )
    assert meetings == oracle + excluded
    assert (result.series, oracle.total()) == (series, occurrences)
    assert result.meetings == occurrences + excluded.total()
    # Re-scheduling the imported series creates nothing: every occurrence exists.
    for imported in MeetingSeries.objects.all():
        assert services.series_schedule(series=imported, now=NOW) == []


def test_a_series_begun_years_ago_still_imports_this_windows_instances(cos):
    data = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example generator//EN
BEGIN:VEVENT
UID:standup-1
SUMMARY:Stand-up
DTSTART;TZID=Europe/London:20160104T093000
DURATION:PT15M
RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR
END:VEVENT
END:VCALENDAR
"""
    [event] = parse_calendar(data, name="standup.ics")
    window = services.import_window(now=NOW)
    assert len(event.occurrences(*window)) == 65  # 13 weeks of weekdays, not 0
    assert _imported(data, "standup.ics", window) == _oracle(data, window)
    with pytest.raises(CalendarError, match="repeats minutely"):
        parse_calendar(data.replace(b"FREQ=DAILY", b"FREQ=MINUTELY"), name="standup.ics")


def test_a_broken_file_names_the_problem_and_imports_nothing(cos, tmp_path):
    broken = EXCHANGE.replace(b"RRULE:FREQ=WEEKLY;BYDAY=MO;", b"RRULE:FREQ=SOMETIMES;BYDAY=MO;")
    with pytest.raises(CalendarError, match="Architecture review"):
        parse_calendar(broken, name="broken.ics")
    path = tmp_path / "broken.ics"
    path.write_bytes(broken)
    with pytest.raises(CommandError, match="broken.ics"):
        call_command("import_calendar", str(path))
    with pytest.raises(CalendarError, match="not an iCalendar file"):
        parse_calendar(b"hello", name="hello.ics")
    assert not Meeting.objects.exists()


def test_command_dry_run_writes_nothing_and_import_writes(cos, tmp_path):
    path = tmp_path / "exchange.ics"
    path.write_bytes(EXCHANGE)
    out = StringIO()
    call_command("import_calendar", str(path), "--dry-run", stdout=out)
    assert "Architecture review: series" in out.getvalue() and "Dry run" in out.getvalue()
    assert not Meeting.objects.exists()
    call_command("import_calendar", str(path), "--owner", cos.username, stdout=out)
    assert not Meeting.objects.exists()  # every instance is in 2019: nothing from now on
    call_command(
        "import_calendar", str(path), "--owner", cos.username, "--since", "2019-01-01", stdout=out
    )
    assert MeetingSeries.objects.get().owner == cos
    assert Meeting.objects.filter(state=MeetingState.CANCELLED).count() == 2  # EXDATE + cancelled
    # The same export again: both events (the series, the all-day one-off) were imported.
    count = Meeting.objects.count()
    call_command(
        "import_calendar", str(path), "--owner", cos.username, "--since", "2019-01-01", stdout=out
    )
    assert "2 event(s) imported before" in out.getvalue()
    assert (MeetingSeries.objects.count(), Meeting.objects.count()) == (1, count)


def test_import_page_previews_then_imports_from_now_on(client, cos):
    # The Exchange file's weekly series began a year ago and runs on with no end.
    now = timezone.now()
    data = EXCHANGE.replace(b"20191007T100000", f"{now.year - 1}1007T100000".encode()).replace(
        b";UNTIL=20191230T090000Z", b""
    )
    client.force_login(cos)
    upload = SimpleUploadedFile("exchange.ics", data, content_type="text/calendar")
    response = client.post(reverse("cadence:calendar_import"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and "Preview of exchange.ics" in html
    assert "earlier left out" in html
    assert not Meeting.objects.exists()
    token = response.context["token"]
    response = client.post(reverse("cadence:calendar_import"), {"token": token})
    assert "Imported 1 series" in response.content.decode()
    again = client.post(
        reverse("cadence:calendar_import"),
        {"file": SimpleUploadedFile("exchange.ics", data, content_type="text/calendar")},
    )
    assert "Imported before" in again.content.decode()
    starts = list(Meeting.objects.values_list("start", flat=True))
    # The Mondays of the 13 weeks to the horizon (one more or less when a clock change
    # and the hour of the test meet on a Monday), none in the past.
    assert 12 <= len(starts) <= 14 and min(starts) >= now
    bad = client.post(
        reverse("cadence:calendar_import"), {"file": SimpleUploadedFile("x.ics", b"nope")}
    )
    assert bad.status_code == 422 and "Nothing was imported" in bad.content.decode()


def test_feed_is_valid_icalendar_with_stable_uid_sequence_and_cancellations(client, cos):
    series = services.series_create(
        by=cos,
        title="Staff meeting",
        owner=cos,
        rrule="FREQ=WEEKLY;BYDAY=MO",
        time_zone="Europe/London",
        first_start=dt.datetime(2030, 1, 7, 10, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
        duration_minutes=60,
        attendees=[cos],
        now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
    )
    first, second = series.meetings.order_by("start")[:2]
    feed = services.calendar_feed_rotate(by=cos)
    url = reverse("cadence:calendar_feed", args=[feed.token])
    client.logout()

    def events():
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        cal = icalendar.Calendar.from_ical(response.content)
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
        return {str(e["UID"]): e for e in cal.walk("VEVENT")}

    before = events()
    uid = next(u for u in before if u.startswith(f"meeting-{second.pk}@"))
    services.meeting_reschedule(
        meeting=second,
        by=cos,
        start=second.start + dt.timedelta(hours=2),
        end=second.end + dt.timedelta(hours=2),
    )
    services.meeting_cancel(meeting=first, by=cos)
    after = events()
    assert set(after) == set(before)
    assert int(after[uid]["SEQUENCE"]) == 1
    assert after[uid].decoded("DTSTART").hour == 12
    cancelled = next(u for u in after if u.startswith(f"meeting-{first.pk}@"))
    assert str(after[cancelled]["STATUS"]) == "CANCELLED"
    services.calendar_feed_revoke(by=cos)
    assert client.get(url).status_code == 404


def test_a_deactivated_persons_feed_stops(client, staff):
    url = reverse("cadence:calendar_feed", args=[services.calendar_feed_rotate(by=staff).token])
    assert client.get(url).status_code == 200
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_meeting_ics_is_access_checked(client, staff, cos):
    meeting = factories.MeetingFactory()
    meeting.attendees.add(cos)
    client.force_login(staff)
    assert client.get(reverse("cadence:meeting_ics", args=[meeting.pk])).status_code == 404
    client.force_login(cos)
    response = client.get(reverse("cadence:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert b"BEGIN:VEVENT" in response.content
