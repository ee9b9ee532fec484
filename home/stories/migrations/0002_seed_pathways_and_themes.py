"""Seed the pathways and themes the council starts with (it can edit them in the admin)."""

from django.db import migrations

PATHWAYS = [
    ("addiction-recovery", "Addiction recovery"),
    ("desistance", "Leaving crime behind"),
    ("mental-health-recovery", "Mental-health recovery"),
    ("family", "Family"),
    ("community", "Community"),
]
THEMES = [
    ("work", "Work"),
    ("housing", "Housing"),
    ("family", "Family"),
    ("sport", "Sport"),
    ("arts", "Arts"),
    ("volunteering", "Volunteering"),
    ("faith", "Faith"),
    ("mentoring", "Mentoring"),
]


def seed(apps, schema_editor):
    for model_name, rows in (("Pathway", PATHWAYS), ("Theme", THEMES)):
        model = apps.get_model("stories", model_name)
        for order, (slug, name) in enumerate(rows):
            model.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("stories", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
