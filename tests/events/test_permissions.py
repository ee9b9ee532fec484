"""Organisers edit their own group's pages only; the council's moderators publish."""

import pytest
from django.urls import reverse
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from events.models import GroupPage


def edit_form(page, **changes):
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "kind": page.kind,
        "story": streamfield([]),
        "comments": inline_formset([]),
    }
    data.update(changes)
    return nested_form_data(data)


@pytest.fixture
def two_groups(make_group, make_organiser):
    ours = make_group(title="Running Club", slug="running-club")
    theirs = make_group(title="Recovery Café", slug="recovery-cafe")
    return ours, theirs, make_organiser(ours, "ours-organiser")


def test_each_new_group_gets_its_own_organisers_group(two_groups):
    ours, theirs, _user = two_groups
    assert ours.organisers.name == "Organisers: Running Club"
    assert theirs.organisers.name == "Organisers: Recovery Café"
    perms = {(p.page_id, p.permission.codename) for p in ours.organisers.page_permissions.all()}
    assert perms == {(ours.pk, "add_page"), (ours.pk, "change_page")}


def test_organiser_can_open_their_own_group_in_the_editor(client, two_groups):
    ours, _theirs, user = two_groups
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[ours.pk]))
    assert response.status_code == 200
    assert 'name="title"' in response.content.decode()


def test_organiser_cannot_edit_another_groups_page(client, two_groups):
    _ours, theirs, user = two_groups
    client.force_login(user)
    url = reverse("wagtailadmin_pages:edit", args=[theirs.pk])
    assert client.get(url).status_code in (302, 403)
    client.post(url, edit_form(theirs, title="Taken over", **{"action-publish": "1"}))
    theirs.refresh_from_db()
    assert theirs.title == "Recovery Café"
    assert all(r.content["title"] != "Taken over" for r in theirs.revisions.all())


def test_organiser_cannot_see_another_groups_drafts(client, two_groups):
    _ours, theirs, user = two_groups
    theirs.title = "A secret draft title"
    revision = theirs.save_revision()
    client.force_login(user)
    for url in (
        reverse("wagtailadmin_pages:preview_on_edit", args=[theirs.pk]),
        reverse("wagtailadmin_pages:revisions_view", args=[theirs.pk, revision.pk]),
        reverse("wagtailadmin_pages:history", args=[theirs.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "A secret draft title" not in response.content.decode()


def test_organiser_cannot_add_pages_outside_their_group(client, two_groups):
    _ours, theirs, user = two_groups
    client.force_login(user)
    url = reverse("wagtailadmin_pages:add_subpage", args=[theirs.pk])
    assert client.get(url).status_code in (302, 403)


def test_organiser_cannot_publish_even_their_own_page(client, two_groups):
    ours, _theirs, user = two_groups
    client.force_login(user)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[ours.pk]),
        edit_form(ours, title="Published without review", **{"action-publish": "1"}),
    )
    ours.refresh_from_db()
    assert ours.title == "Running Club"


def test_submission_waits_for_a_moderator_then_goes_live(client, two_groups, moderator):
    ours, _theirs, user = two_groups
    client.force_login(user)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[ours.pk]),
        edit_form(ours, title="Running and Walking Club", **{"action-submit": "1"}),
    )
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(ours.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    ours.refresh_from_db()
    assert ours.title == "Running Club"  # nothing changes on the public site yet

    client.force_login(moderator)
    task_state = state.current_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[ours.pk, "approve", task_state.pk]),
        {"comment": "Looks good"},
    )
    assert response.status_code in (200, 302)
    ours.refresh_from_db()
    assert ours.title == "Running and Walking Club"
    assert ours.live


def test_admin_refuses_a_group_without_a_name(client, two_groups, group_index, admin_user):
    client.force_login(admin_user)
    before = GroupPage.objects.count()
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["events", "grouppage", group_index.pk]),
        edit_form(GroupPage(summary="x", kind="community"), title="", slug="nameless"),
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert GroupPage.objects.count() == before
    assert not Page.objects.filter(slug="nameless").exists()
