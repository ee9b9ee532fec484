"""Only the council reads the audit log, and nobody edits it (in the admin or anywhere)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from home.council import COUNCIL_GROUP, is_council


class CouncilReadOnlyPolicy(BasePermissionPolicy):
    """ "view" for the council (superusers and moderators); every other action for nobody."""

    def user_has_permission(self, user, action):
        return action == "view" and is_council(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and is_council(user)

    def users_with_any_permission(self, actions):
        User = get_user_model()
        if "view" not in actions:
            return User.objects.none()
        return User.objects.filter(
            Q(is_superuser=True) | Q(groups__name=COUNCIL_GROUP), is_active=True
        ).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])
