"""Approving says so, from the editor and from the dashboard's review panel (a modal)."""

import pytest
from django.urls import reverse

from tests.factories import EventPageFactory, UserFactory


@pytest.fixture
def submitted(make_group):
    group = make_group(title="Lantern Café", slug="lantern")
    event = EventPageFactory(parent=group, live=False, title="Tuesday coffee")
    organiser = UserFactory(username="lantern-organiser")
    organiser.groups.add(group.organisers)
    event.save_revision(user=organiser)
    state = event.get_workflow().start(event, organiser)
    return event, state


@pytest.mark.django_db
def test_approving_from_the_dashboard_modal_confirms_it(client, moderator, submitted):
    event, state = submitted
    client.force_login(moderator)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[event.pk, "approve", state.current_task_state.pk],
    )
    response = client.post(url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200 and response.json()["step"] == "success"
    event.refresh_from_db()
    assert event.live
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Approved: “Tuesday coffee” is published and residents can see its dates." in home


@pytest.mark.django_db
def test_rejecting_says_nothing_of_approval(client, moderator, submitted):
    event, state = submitted
    client.force_login(moderator)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[event.pk, "reject", state.current_task_state.pk],
    )
    client.post(
        url, {"comment": "Please add a venue."}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert "Approved:" not in client.get(reverse("wagtailadmin_home")).content.decode()
