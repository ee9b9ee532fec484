"""Open data: the Meeting Guide feed, Open Referral (HSDS 3.0) and the API's description."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("meetings.json", views.meetings_json, name="meetings"),
    path("openreferral/", views.openreferral_root, name="openreferral"),
    path("openreferral/services", views.openreferral_services, name="services"),
    path("openreferral/services/<uuid:uid>", views.openreferral_service, name="service"),
    path("openreferral/organizations", views.openreferral_organizations, name="organizations"),
    path("openreferral/locations", views.openreferral_locations, name="locations"),
    path("api/openapi.json", views.openapi_json, name="openapi"),
    path("api/docs", views.api_docs, name="api_docs"),
]
