"""The council's screen for navigator organisations, inside Wagtail's admin.

Only the council (superusers and Wagtail's "Moderators") may list them, make a group's page
one, and add or remove its navigators; anyone else with admin access is sent back to the
admin home with Wagtail's "you do not have permission".
"""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages
from wagtail.admin.auth import user_passes_test

from home.council import is_council

from . import services
from .forms import NavigatorAddForm, NavigatorOrganisationForm
from .models import NavigatorOrganisation

council_only = user_passes_test(is_council)


@council_only
@require_http_methods(["GET", "POST"])
def index(request):
    """List the navigator organisations; make a group's page one."""
    form = NavigatorOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = services.navigator_organisation_create(
            organisation=form.cleaned_data["organisation"]
        )
        messages.success(
            request,
            _("%(name)s is now a navigator organisation. Add its navigators below.")
            % {"name": made.organisation.title},
        )
        return redirect("navigators_admin:detail", made.pk)
    organisations = NavigatorOrganisation.objects.select_related(
        "organisation", "navigators"
    ).order_by("organisation__title")
    return render(
        request,
        "introductions/admin/index.html",
        {"form": form, "organisations": organisations},
        status=400 if form.errors else 200,
    )


@council_only
@require_http_methods(["GET", "POST"])
def detail(request, pk):
    """One organisation's navigators; add an existing user to them."""
    organisation = get_object_or_404(
        NavigatorOrganisation.objects.select_related("organisation", "navigators"), pk=pk
    )
    form = NavigatorAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.navigator_add(organisation=organisation, user=form.user):
            messages.success(
                request,
                _("%(user)s is now a navigator for %(name)s.")
                % {"user": form.user.get_username(), "name": organisation.organisation.title},
            )
        else:
            messages.warning(
                request,
                _("%(user)s was already a navigator for %(name)s; nothing changed.")
                % {"user": form.user.get_username(), "name": organisation.organisation.title},
            )
        return redirect("navigators_admin:detail", organisation.pk)
    navigators = (
        get_user_model()
        .objects.filter(groups=organisation.navigators_id)
        .order_by("username")
        .only("pk", "username", "first_name", "last_name")
        if organisation.navigators_id
        else get_user_model().objects.none()
    )
    return render(
        request,
        "introductions/admin/detail.html",
        {"organisation": organisation, "navigators": navigators, "form": form},
        status=400 if form.errors else 200,
    )


@council_only
@require_POST
def remove(request, pk, user_pk):
    """Take one navigator out of the organisation's group."""
    organisation = get_object_or_404(NavigatorOrganisation, pk=pk)
    user = get_user_model().objects.filter(pk=user_pk).first()
    if user is not None and services.navigator_remove(organisation=organisation, user=user):
        messages.success(
            request,
            _("%(user)s is no longer a navigator for %(name)s.")
            % {"user": user.get_username(), "name": organisation.organisation.title},
        )
    else:
        messages.warning(
            request,
            _("That person was not one of this organisation's navigators; nothing changed."),
        )
    return redirect("navigators_admin:detail", organisation.pk)
