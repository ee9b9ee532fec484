from django.shortcuts import redirect, render

from home.ratelimit import ratelimit

from .forms import EventProposalForm
from .services import event_proposal_create


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
