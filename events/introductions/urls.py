from django.urls import path

from home.converters import register_id_converter

from . import views

register_id_converter()

app_name = "introductions"

urlpatterns = [
    path("introductions/", views.follow_up, name="follow_up"),
    path("introductions/new/", views.make, name="make"),
    path("introductions/<id:pk>/", views.detail, name="detail"),
    path("introductions/mentors/<id:pk>/", views.mentors, name="mentors"),
    path("introductions/welcome/", views.welcome, name="welcome"),
    path("introductions/welcome/<id:pk>/", views.take_duty, name="take_duty"),
    path("invitation/<str:invitation_id>/", views.invitation, name="invitation"),
    path("invitation/<str:invitation_id>/card/", views.card, name="card"),
    path("invitation/<str:invitation_id>/date.ics", views.ics, name="ics"),
    path("pass/mine/introductions/<id:pk>/stop/", views.stop_sharing, name="stop_sharing"),
]
