"""Feeds, the embeddable widget and the read-only JSON API: what other sites and apps read."""

from django.urls import path

from home.converters import register_id_converter

from . import api, embed, feed_views

register_id_converter()  # <id:occurrence>: a huge id is a 404, not a 500

app_name = "feeds"

urlpatterns = [
    path("feeds/events.ics", feed_views.city_feed, name="city"),
    path("feeds/groups/<slug:slug>.ics", feed_views.group_feed, name="group"),
    path("feeds/categories/<slug:slug>.ics", feed_views.category_feed, name="category"),
    path("feeds/event/<uuid:uid>.ics", feed_views.event_feed, name="event"),
    path(
        "feeds/event/<uuid:uid>/dates/<id:occurrence>.ics",
        feed_views.event_date_feed,
        name="event_date",
    ),
    path("embed/groups/<slug:slug>/", embed.group_embed, name="embed_group"),
    path("embed/categories/<slug:slug>/", embed.category_embed, name="embed_category"),
    path("api/occurrences/", api.occurrences, name="api_occurrences"),
]
