"""What Wagtail's choosers list: only what the member of staff may edit.

Wagtail's page chooser (browse, search, "chosen") and snippet choosers list every object to
anyone who may use the admin, so an organiser could read the titles of other groups' drafts,
of proposed events and of story submissions. Here the page chooser keeps to the pages the
user has a page permission for, and their ancestors (so they can browse down to them); the
choosers of private snippets keep to the objects the user may see in the admin. The council
(page permissions from the root; the model permissions) still sees everything.
"""

from django.db.models import QuerySet
from django.http import Http404
from wagtail.admin.views.chooser import ChosenMultipleView as PageChosenMultipleView
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)

# The page permissions that let someone edit something in a subtree (Wagtail's own list
# for the explorer), and the snippet actions that let someone see an object in the admin.
PAGE_EDITING = {"add", "change", "publish", "lock", "unlock", "bulk_delete"}
SNIPPET_SEEING = {"add", "change", "delete", "view"}


def pages_choosable_by(user) -> QuerySet:
    """Give the pages `user` may edit, with their ancestors to browse down through."""
    policy = PagePermissionPolicy()
    if user.is_active and user.is_superuser:
        return Page.objects.all()
    pages = policy.instances_user_has_any_permission_for(user, PAGE_EDITING)
    for permission in policy.get_cached_permissions_for_user(user):
        pages |= Page.objects.ancestor_of(permission.page)
    return pages


def page_chooser_queryset(pages, request):
    """Keep the page chooser's pages to those the user may choose (the hook's work).

    Browsing below a page one may not choose is refused, since the chooser shows its title.
    """
    choosable = pages_choosable_by(request.user)
    match = request.resolver_match
    parent_id = match.kwargs.get("parent_page_id") if match else None
    if parent_id and not choosable.filter(pk=parent_id).exists():
        raise Http404
    return pages.filter(pk__in=choosable.values("pk"))


class ChoosablePagesChosenMultipleView(PageChosenMultipleView):
    """Wagtail's "chosen" answer for several pages, for pages the user may choose only."""

    def get(self, request):
        ids = [pk for pk in request.GET.getlist("id") if pk.isdigit()]
        allowed = pages_choosable_by(request.user).filter(pk__in=ids).values_list("pk", flat=True)
        request.GET = request.GET.copy()
        request.GET.setlist("id", [str(pk) for pk in allowed])
        return super().get(request)


class PermittedObjectsMixin:
    """A snippet chooser view that lists and gives only what the user may see in the admin."""

    def permitted(self, objects: QuerySet) -> QuerySet:
        policy = self.model_class.snippet_viewset.permission_policy
        allowed = policy.instances_user_has_any_permission_for(self.request.user, SNIPPET_SEEING)
        return objects.filter(pk__in=allowed.values("pk"))


class PermittedChooseView(PermittedObjectsMixin, ChooseView):
    def get_object_list(self):
        return self.permitted(super().get_object_list())


class PermittedChooseResultsView(PermittedObjectsMixin, ChooseResultsView):
    def get_object_list(self):
        return self.permitted(super().get_object_list())


class PermittedChosenView(PermittedObjectsMixin, SnippetChosenView):
    def get_object(self, pk):
        return self.permitted(self.model_class.objects.filter(pk=pk)).get()


class PermittedChosenMultipleView(PermittedObjectsMixin, SnippetChosenMultipleView):
    def get_objects(self, pks):
        return self.permitted(super().get_objects(pks))


class PermittedSnippetChooserViewSet(SnippetChooserViewSet):
    """The chooser for a snippet that holds private data: `chooser_viewset_class = ...`."""

    choose_view_class = PermittedChooseView
    choose_results_view_class = PermittedChooseResultsView
    chosen_view_class = PermittedChosenView
    chosen_multiple_view_class = PermittedChosenMultipleView
