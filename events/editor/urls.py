from django.urls import path

from . import views

app_name = "events_admin"
urlpatterns = [
    path("schedule-preview.json", views.schedule_preview_json, name="schedule_preview"),
]
