"""The city's IRC council: who it is, in one place every app reads.

The council is the superusers and the members of Wagtail's "Moderators" group (the group
that approves pages in the "Moderators approval" workflow). It moderates what is published,
reads the audit log and sees every group's check-in and figures.
"""

COUNCIL_GROUP = "Moderators"


def is_council(user) -> bool:
    """Give whether the user is the council: an active superuser or one of its moderators."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=COUNCIL_GROUP).exists()
