"""`make run` gives the demo's Site the address it serves, so feeds link back to it."""

import os

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Site


def _load_demo(*args):
    call_command("load_demo", *args, stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_the_demo_site_is_at_the_address_it_is_served_at(client, db):
    _load_demo("--address", "127.0.0.1:8123")
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    feed = client.get("/feeds/events.ics").content.decode()
    assert "http://127.0.0.1:8123/" in feed
    assert "localhost" not in feed

    # Served at another port next time: the feeds follow.
    _load_demo("--address", "127.0.0.1:8124")
    feed = client.get("/feeds/events.ics").content.decode()
    assert "http://127.0.0.1:8124/" in feed
    assert "127.0.0.1:8123" not in feed


def test_a_malformed_address_is_refused_with_an_example(db):
    with pytest.raises(CommandError, match="host:port, for example 127.0.0.1:8000"):
        _load_demo("--address", "localhost")
