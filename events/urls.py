from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("events/propose/", views.propose_event, name="propose"),
    path("events/propose/thanks/", views.propose_event_thanks, name="propose_thanks"),
]
