from django.urls import path

from home.converters import register_id_converter

from .views import app, attendance, door, passes, poster, record, scanner

register_id_converter()  # <id:pk>: a database id, so a huge one is a 404, not a 500

app_name = "checkin"

urlpatterns = [
    # Participants: passes and their own record.
    path("pass/", passes.pass_start, name="pass_start"),
    path("pass/mine/", passes.pass_mine, name="pass_mine"),
    path("pass/mine/replace/", passes.pass_replace, name="pass_replace"),
    path("pass/mine/forget/", passes.pass_forget, name="pass_forget"),
    path("pass/mine/record/", record.record_mine, name="record_mine"),
    path("pass/mine/record.json", record.record_download, name="record_download"),
    path("pass/mine/record/print/", record.record_print, name="record_print"),
    path("pass/mine/delete/", record.record_delete, name="record_delete"),
    path("pass/p/<str:token>/", passes.pass_landing, name="pass_landing"),
    path("pass/p/<str:token>/qr.png", passes.pass_png, name="pass_png"),
    # Organisers: the attendance area and the scanner.
    path("checkin/", attendance.dashboard, name="dashboard"),
    # The scanner as an installable, offline-first app (its worker's scope is /checkin/).
    path("checkin/sw.js", app.service_worker, name="service_worker"),
    path("checkin/manifest.webmanifest", app.manifest, name="manifest"),
    path("checkin/o/<id:pk>/scan/", scanner.scanner, name="scanner"),
    path("checkin/o/<id:pk>/scan.json", scanner.scan_json, name="scan_json"),
    path("checkin/o/<id:pk>/ticket/", scanner.scanner_ticket, name="scanner_ticket"),
    path("checkin/o/<id:pk>/search/", scanner.search, name="search"),
    path("checkin/o/<id:pk>/check-in/", scanner.checkin_by_search, name="checkin_by_search"),
    path("checkin/o/<id:pk>/plus-one/", scanner.plus_one, name="plus_one"),
    # The door without signal (DOOR_CONTRACT.md): what the page keeps, its queue, undo.
    path("checkin/o/<id:pk>/offline.json", door.offline_json, name="offline"),
    path("checkin/o/<id:pk>/sync.json", door.sync_json, name="sync"),
    path("checkin/o/<id:pk>/undo.json", door.undo_json, name="undo"),
    path("checkin/o/<id:pk>/door-pass/", scanner.door_pass, name="door_pass"),
    path("checkin/o/<id:pk>/correct/", attendance.correct, name="correct"),
    path("checkin/o/<id:pk>/attendance/", attendance.attendance, name="attendance"),
    path(
        "checkin/o/<id:pk>/attendance.csv",
        attendance.attendance_csv_occurrence,
        name="attendance_csv",
    ),
    path(
        "checkin/event/<id:pk>/attendance.csv",
        attendance.attendance_csv_event,
        name="event_csv",
    ),
    # Posters and self check-in.
    path("checkin/event/<id:pk>/poster/", poster.poster, name="poster"),
    path("checkin/e/<str:token>/", poster.self_checkin, name="self_checkin"),
]
