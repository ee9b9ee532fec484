from django.urls import path

from home.converters import register_id_converter

from . import views

register_id_converter()  # <id:pk>: a database id, so a huge one is a 404, not a 500

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
    path("checkin/o/<id:pk>/scan/", views.scanner, name="scanner"),
    path("checkin/o/<id:pk>/scan.json", views.scan_json, name="scan_json"),
    path("checkin/o/<id:pk>/ticket/", views.scanner_ticket, name="scanner_ticket"),
    path("checkin/o/<id:pk>/search/", views.search, name="search"),
    path("checkin/o/<id:pk>/check-in/", views.checkin_by_search, name="checkin_by_search"),
    path("checkin/o/<id:pk>/plus-one/", views.plus_one, name="plus_one"),
    path("checkin/o/<id:pk>/door-pass/", views.door_pass, name="door_pass"),
    path("checkin/o/<id:pk>/attendance/", views.attendance, name="attendance"),
    path(
        "checkin/o/<id:pk>/attendance.csv", views.attendance_csv_occurrence, name="attendance_csv"
    ),
    path("checkin/event/<id:pk>/attendance.csv", views.attendance_csv_event, name="event_csv"),
    # Posters and self check-in.
    path("checkin/event/<id:pk>/poster/", views.poster, name="poster"),
    path("checkin/e/<str:token>/", views.self_checkin, name="self_checkin"),
]
