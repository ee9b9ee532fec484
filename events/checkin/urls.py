from django.urls import path, register_converter

from . import views


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
    path("pass/", views.pass_start, name="pass_start"),
    path("pass/mine/", views.pass_mine, name="pass_mine"),
    path("pass/mine/replace/", views.pass_replace, name="pass_replace"),
    path("pass/mine/forget/", views.pass_forget, name="pass_forget"),
    path("pass/mine/record/", views.record_mine, name="record_mine"),
    path("pass/mine/record.json", views.record_download, name="record_download"),
    path("pass/mine/delete/", views.record_delete, name="record_delete"),
    path("pass/p/<str:token>/", views.pass_landing, name="pass_landing"),
    path("pass/p/<str:token>/qr.png", views.pass_png, name="pass_png"),
    # Organisers: the attendance area and the scanner.
    path("checkin/", views.dashboard, name="dashboard"),
    path("checkin/o/<checkin_id:pk>/scan/", views.scanner, name="scanner"),
    path("checkin/o/<checkin_id:pk>/scan.json", views.scan_json, name="scan_json"),
    path("checkin/o/<checkin_id:pk>/ticket/", views.scanner_ticket, name="scanner_ticket"),
    path("checkin/o/<checkin_id:pk>/search/", views.search, name="search"),
    path("checkin/o/<checkin_id:pk>/check-in/", views.checkin_by_search, name="checkin_by_search"),
    path("checkin/o/<checkin_id:pk>/plus-one/", views.plus_one, name="plus_one"),
    path("checkin/o/<checkin_id:pk>/door-pass/", views.door_pass, name="door_pass"),
    path("checkin/o/<checkin_id:pk>/correct/", views.correct, name="correct"),
    path("checkin/o/<checkin_id:pk>/attendance/", views.attendance, name="attendance"),
    path(
        "checkin/o/<checkin_id:pk>/attendance.csv",
        views.attendance_csv_occurrence,
        name="attendance_csv",
    ),
    path(
        "checkin/event/<checkin_id:pk>/attendance.csv", views.attendance_csv_event, name="event_csv"
    ),
    # Posters and self check-in.
    path("checkin/event/<checkin_id:pk>/poster/", views.poster, name="poster"),
    path("checkin/e/<str:token>/", views.self_checkin, name="self_checkin"),
]
