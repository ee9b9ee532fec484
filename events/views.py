from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from home.audit.views import AuditedEditView, AuditedInspectView
from home.choosers import PermittedSnippetChooserViewSet
from home.ratelimit import ratelimit

from .forms import EventProposalForm
from .models import Audience, Category, EventProposal, Venue
from .services import event_proposal_create


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "home"
    menu_label = _("Venues")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "town", "postcode", "step_free", "accessible_toilet"]
    list_filter = ["step_free", "accessible_toilet", "hearing_loop", "alcohol_free"]
    search_fields = ["name", "town", "postcode"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    menu_label = _("Who groups serve")
    list_display = ["name", "sort_order"]


class EventProposalViewSet(SnippetViewSet):
    """The council reads who proposed which event (read-only)."""

    model = EventProposal
    icon = "mail"
    menu_label = _("Event proposals")
    list_display = ["group_name", "event", "name", "created_at"]
    inspect_view_enabled = True
    # Opening a proposer's contact details is written to the audit log.
    inspect_view_class = AuditedInspectView
    edit_view_class = AuditedEditView
    # Its chooser lists proposals only to those who may read them (home/choosers.py).
    chooser_viewset_class = PermittedSnippetChooserViewSet


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    menu_label = _("Event categories")
    list_display = ["name", "slug", "sort_order"]


@ratelimit("propose-event", "5/h")
def propose_event(request):
    """The public form a group without an account uses to propose an event."""
    form = EventProposalForm(request.POST or None)
    if request.method == "POST":
        if form.is_spam:
            # Tell robots nothing: the same thanks page, and nothing is made.
            return redirect("events:propose_thanks")
        if form.is_valid():
            event_proposal_create(data=form.cleaned_data)
            return redirect("events:propose_thanks")
    status = 400 if form.errors else 200
    return render(request, "events/propose_event.html", {"form": form}, status=status)


def propose_event_thanks(request):
    return render(request, "events/propose_event_thanks.html")
