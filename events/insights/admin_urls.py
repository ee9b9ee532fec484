from django.urls import path

from . import views

app_name = "insights_admin"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.dashboard_report, name="report"),
    path("<slug:table>.csv", views.dashboard_csv, name="csv"),
]
