from django.urls import path

from . import views

app_name = "ics_import"
urlpatterns = [
    path("", views.start, name="start"),
    path("confirm/", views.confirm, name="confirm"),
]
