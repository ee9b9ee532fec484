from django.urls import path

from home.converters import register_id_converter

from . import admin_views

register_id_converter()

app_name = "navigators_admin"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("<id:pk>/", admin_views.detail, name="detail"),
    path("<id:pk>/remove/<id:user_pk>/", admin_views.remove, name="remove"),
]
