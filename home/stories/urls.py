from django.urls import path

from . import feeds, views

app_name = "stories"

urlpatterns = [
    path("tell/", views.tell, name="tell"),
    path("thanks/", views.thanks, name="thanks"),
    path("mine/<str:token>/", views.mine, name="mine"),
    path("feed/", feeds.StoryRssFeed(), name="feed"),
    path("feed/atom/", feeds.StoryAtomFeed(), name="feed_atom"),
]
