from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .services import page_has_attendance
from .viewsets import EventProposalViewSet, EventsViewSetGroup

register_snippet(EventsViewSetGroup)
register_snippet(EventProposalViewSet)


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
