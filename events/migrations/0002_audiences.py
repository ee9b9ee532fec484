from django.db import migrations

AUDIENCES = [
    ("people-in-recovery", "People in recovery"),
    ("leaving-crime-behind", "People leaving crime behind"),
    ("mental-health-recovery", "Mental-health recovery"),
    ("families", "Families and friends"),
    ("everyone", "Everyone"),
]


def add_audiences(apps, schema_editor):
    Audience = apps.get_model("events", "Audience")
    for order, (slug, name) in enumerate(AUDIENCES):
        Audience.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]
    operations = [migrations.RunPython(add_audiences, migrations.RunPython.noop)]
