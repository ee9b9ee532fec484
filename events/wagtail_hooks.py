from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .editor import urls as editor_urls
from .editor.components import OrganiserHomePanel
from .editor.menus import submit_first
from .editor.selectors import organiser_groups
from .editor.views import EventPageViewSet, approved_message
from .services import page_has_attendance
from .viewsets import EventProposalViewSet, EventsViewSetGroup

register_snippet(EventsViewSetGroup)
register_snippet(EventProposalViewSet)
hooks.register("construct_page_action_menu", submit_first)


@hooks.register("register_admin_viewset")
def event_page_viewset():
    return EventPageViewSet("event_pages")


@hooks.register("register_admin_urls")
def editor_admin_urls():
    return [path("events/", include(editor_urls, namespace="events_admin"))]


@hooks.register("construct_homepage_panels")
def organiser_home(request, panels):
    """Organisers' home: add an event, their next dates and where submissions stand."""
    groups = organiser_groups(request.user)
    if groups:
        panels.insert(0, OrganiserHomePanel(request, groups))


@hooks.register("after_edit_page")
def confirm_approval(request, page):
    """Say plainly that approving worked (Wagtail only says the page was updated)."""
    if request.POST.get("action-workflow-action") and (
        request.POST.get("workflow-action-name") == "approve"
    ):
        messages.success(request, approved_message(page))


@hooks.register("before_delete_page")
def keep_events_that_have_attendance(request, page):
    """Refuse to delete an event (or a group holding one) that has attendance recorded."""
    if page_has_attendance(page=page):
        messages.error(
            request,
            _(
                "This can’t be deleted: attendance has been recorded at its events. "
                "Unpublish it instead: its dates leave the calendar and the record of who "
                "came is kept."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
