from django.db import migrations

# (slug, name, community): the council can rename, add or reorder these in the admin.
ROLES = [
    ("in-recovery", "In recovery", "recovery"),
    ("leaving-crime-behind", "Leaving crime behind", "recovery"),
    ("mental-health-recovery", "Mental-health recovery", "recovery"),
    ("family-or-friend", "Family or friend", "wider"),
    ("local-resident", "Local resident", "wider"),
    ("volunteer", "Volunteer", "wider"),
    ("peer-mentor", "Peer mentor", "recovery"),
    ("professional", "Professional", "professional"),
]


def seed(apps, schema_editor):
    Role = apps.get_model("checkin", "Role")
    for order, (slug, name, community) in enumerate(ROLES):
        Role.objects.get_or_create(
            slug=slug, defaults={"name": name, "community": community, "sort_order": order}
        )


def unseed(apps, schema_editor):
    Role = apps.get_model("checkin", "Role")
    Role.objects.filter(slug__in=[slug for slug, _name, _community in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("checkin", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
