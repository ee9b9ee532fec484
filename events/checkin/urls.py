from django.urls import path, register_converter

from .views import attendance, passes, poster, record, scanner


class IdConverter:
    """A row id: ASCII digits, at most 18 of them, so every match fits a 64-bit integer.

    Django's `int` takes any length, and a 23-digit id then overflowed the database driver
    (a 500); here such a path simply does not match, and the answer is a 404.
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "checkin_id")

app_name = "checkin"

urlpatterns = [
    # Participants: passes and their own record.
    path("pass/", passes.pass_start, name="pass_start"),
    path("pass/mine/", passes.pass_mine, name="pass_mine"),
    path("pass/mine/replace/", passes.pass_replace, name="pass_replace"),
    path("pass/mine/forget/", passes.pass_forget, name="pass_forget"),
    path("pass/mine/record/", record.record_mine, name="record_mine"),
    path("pass/mine/record.json", record.record_download, name="record_download"),
    path("pass/mine/delete/", record.record_delete, name="record_delete"),
    path("pass/p/<str:token>/", passes.pass_landing, name="pass_landing"),
    path("pass/p/<str:token>/qr.png", passes.pass_png, name="pass_png"),
    # Organisers: the attendance area and the scanner.
    path("checkin/", attendance.dashboard, name="dashboard"),
    path("checkin/o/<checkin_id:pk>/scan/", scanner.scanner, name="scanner"),
    path("checkin/o/<checkin_id:pk>/scan.json", scanner.scan_json, name="scan_json"),
    path("checkin/o/<checkin_id:pk>/ticket/", scanner.scanner_ticket, name="scanner_ticket"),
    path("checkin/o/<checkin_id:pk>/search/", scanner.search, name="search"),
    path(
        "checkin/o/<checkin_id:pk>/check-in/", scanner.checkin_by_search, name="checkin_by_search"
    ),
    path("checkin/o/<checkin_id:pk>/plus-one/", scanner.plus_one, name="plus_one"),
    path("checkin/o/<checkin_id:pk>/door-pass/", scanner.door_pass, name="door_pass"),
    path("checkin/o/<checkin_id:pk>/correct/", attendance.correct, name="correct"),
    path("checkin/o/<checkin_id:pk>/attendance/", attendance.attendance, name="attendance"),
    path(
        "checkin/o/<checkin_id:pk>/attendance.csv",
        attendance.attendance_csv_occurrence,
        name="attendance_csv",
    ),
    path(
        "checkin/event/<checkin_id:pk>/attendance.csv",
        attendance.attendance_csv_event,
        name="event_csv",
    ),
    # Posters and self check-in.
    path("checkin/event/<checkin_id:pk>/poster/", poster.poster, name="poster"),
    path("checkin/e/<str:token>/", poster.self_checkin, name="self_checkin"),
]
