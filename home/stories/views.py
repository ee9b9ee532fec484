"""Public views: tell a story, see its status through a private link, withdraw it."""

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from home.ratelimit import ratelimit

from .forms import StoryTellForm, StoryWithdrawForm
from .models import StoryIndexPage
from .services import story_tell, story_withdraw, submission_for_token

SESSION_KEY = "stories_private_links"


def _private(response):
    """Keep a page that holds a private link out of caches, referrers and search engines."""
    response["Cache-Control"] = "no-store"
    # Never sent to other sites; "no-referrer" would make browsers send "Origin: null"
    # with the withdrawal form, which Django's CSRF check rightly refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _remember_link(request, key, token):
    links = request.session.get(SESSION_KEY, {})
    links[str(key)] = token
    request.session[SESSION_KEY] = links


@require_http_methods(["GET", "POST"])
@ratelimit("stories-tell", "5/h")
@never_cache
def tell(request):
    index = StoryIndexPage.objects.live().first()
    if index is None:
        raise Http404(_("Stories are not open on this site yet."))
    if request.method == "GET":
        return render(request, "stories/tell.html", {"form": StoryTellForm(), "index": index})

    form = StoryTellForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "stories/tell.html", {"form": form, "index": index}, status=400)
    data = {**form.cleaned_data, "consent_text": form.consent_text()}
    try:
        result = story_tell(index=index, data=data)
    except IntegrityError:  # the same form sent twice at the same moment
        result = story_tell(index=index, data=data)
    key = str(result.submission.idempotency_key)
    if result.created:
        _remember_link(request, key, result.token)
    else:
        messages.info(
            request,
            _("We already have this story: it was sent twice, and we kept just one copy."),
        )
    return redirect(reverse("stories:thanks") + f"?key={key}")


@require_http_methods(["GET"])
@never_cache
def thanks(request):
    token = request.session.get(SESSION_KEY, {}).get(request.GET.get("key", ""))
    private_url = request.build_absolute_uri(reverse("stories:mine", args=[token])) if token else ""
    return _private(render(request, "stories/thanks.html", {"private_url": private_url}))


@require_http_methods(["GET", "POST"])
@ratelimit("stories-mine", "30/h", methods=("GET", "POST"))
@never_cache
def mine(request, token):
    submission = submission_for_token(token)
    if submission is None:
        response = render(request, "stories/mine_not_found.html", status=404)
        return _private(response)
    form = StoryWithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not submission.withdrawn_at:
        if form.is_valid():
            story_withdraw(submission=submission)
            messages.success(
                request,
                _(
                    "Your story has been taken down. It is no longer on the website or in its feeds."
                ),
            )
            return redirect("stories:mine", token=token)
        status = 400
    else:
        status = 200
    context = {
        "submission": submission,
        "story": submission.page,
        "form": form,
        "grace_days": settings.STORIES_WITHDRAWN_GRACE_DAYS,
    }
    return _private(render(request, "stories/mine.html", context, status=status))
