"""Let the council's moderators read tellers' consent and contact details (nobody else)."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is None:
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="stories", model="storysubmission")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_storysubmission",
        defaults={"name": "Can view story submission"},
    )
    moderators.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators = Group.objects.filter(name="Moderators").first()
    permission = Permission.objects.filter(
        content_type__app_label="stories", codename="view_storysubmission"
    ).first()
    if moderators and permission:
        moderators.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0002_seed_pathways_and_themes"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
