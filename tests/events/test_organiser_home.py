"""The organiser's home panel: a fixed number of queries however many events and dates."""

import pytest
from django.test import RequestFactory

from events.editor.components import OrganiserHomePanel
from events.editor.selectors import organiser_groups
from tests.factories import EventPageFactory, OccurrenceFactory, UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("events", [1, 6])
def test_the_home_panel_makes_a_fixed_number_of_queries(
    make_group, django_assert_num_queries, events
):
    group = make_group(title="Lantern Café", slug="lantern")
    user = UserFactory(username="lantern-organiser")
    user.groups.add(group.organisers)
    for n in range(events):
        event = EventPageFactory(parent=group, title=f"Coffee {n}")
        for _date in range(3):
            OccurrenceFactory(event=event)
    groups = organiser_groups(user)
    request = RequestFactory().get("/admin/")
    request.user = user
    panel = OrganiserHomePanel(request, groups)
    panel.render_html({})  # the content type cache warms once per process
    # The next dates, the events, and their workflow states: one query each.
    with django_assert_num_queries(3):
        html = panel.render_html({})
    assert "Coffee 0" in html and "Scan passes" in html
