"""A group's image collection is linked to the group, so renaming the group keeps it."""

from wagtail.models import Collection, GroupCollectionPermission

from events.services import group_organisers_ensure


def test_renaming_a_group_keeps_its_collection_and_its_organisers_rights(make_group):
    group = make_group(title="Forward Strides", slug="forward-strides")
    collection = group.collection
    assert collection is not None and collection.name == "Forward Strides"

    group.title = "Forward Strides Running Club"
    group.save_revision().publish()
    group.refresh_from_db()
    group_organisers_ensure(group_page=group)

    group.refresh_from_db()
    assert group.collection_id == collection.pk
    assert Collection.objects.filter(name__startswith="Forward Strides").count() == 1
    rights = GroupCollectionPermission.objects.filter(group=group.organisers)
    assert set(rights.values_list("collection", flat=True)) == {collection.pk}


def test_renaming_the_collection_keeps_the_link(make_group):
    group = make_group(title="Arts Collective", slug="arts-collective")
    Collection.objects.filter(pk=group.collection_id).update(name="Arts (old name)")
    group_organisers_ensure(group_page=group)
    group.refresh_from_db()
    assert group.collection.name == "Arts (old name)"
    assert not Collection.objects.filter(name="Arts Collective").exists()


def test_publishing_an_old_revision_keeps_the_collection(make_group):
    group = make_group(title="Family Circle", slug="family-circle")
    collection_id = group.collection_id
    old = group.save_revision()
    old.content["collection"] = None  # as a revision from before the link was made
    old.save()
    old.publish()
    group.refresh_from_db()
    assert group.collection_id == collection_id
