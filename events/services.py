"""Services with side effects for groups and events."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from .models import GroupPage

# What a group's organisers may do with their own GroupPage subtree. No
# "publish": their changes go to the council's moderators for approval.
ORGANISER_PAGE_PERMISSIONS = ("add_page", "change_page")
ORGANISER_IMAGE_PERMISSIONS = ("add_image", "change_image", "choose_image")
ORGANISER_MODEL_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("events", "add_venue"),
    ("events", "view_venue"),
)


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def group_organisers_ensure(*, group_page: GroupPage) -> Group:
    """Give the group page its organisers' user group, with rights over its subtree only.

    Safe to call again: it adds what is missing and changes nothing else.
    """
    if group_page.organisers_id:
        organisers = group_page.organisers
    else:
        name = f"Organisers: {group_page.title}"[:150]
        organisers, _created = Group.objects.get_or_create(name=name)
        GroupPage.objects.filter(pk=group_page.pk).update(organisers=organisers)
        group_page.organisers = organisers

    for codename in ORGANISER_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=organisers, page=group_page, permission=_permission("wagtailcore", codename)
        )

    collection = _group_collection(group_page)
    for codename in ORGANISER_IMAGE_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=organisers,
            collection=collection,
            permission=_permission("wagtailimages", codename),
        )
    organisers.permissions.add(
        *(_permission(app, codename) for app, codename in ORGANISER_MODEL_PERMISSIONS)
    )
    return organisers


def _group_collection(group_page: GroupPage) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=group_page.title).first()
    return existing or root.add_child(name=group_page.title)
