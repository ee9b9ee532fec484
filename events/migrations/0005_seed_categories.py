from django.db import migrations

# A copy, not an import: a migration must not change when the model module does.
CATEGORIES = [
    ("recovery-walks-and-celebrations", "Recovery walks and celebrations"),
    ("social-and-cafe", "Social and café"),
    ("sport-and-movement", "Sport and movement"),
    ("arts-and-culture", "Arts and culture"),
    ("learning-and-skills", "Learning and skills"),
    ("volunteering", "Volunteering"),
    ("mutual-aid-meetings", "Mutual-aid meetings"),
    ("families", "Families"),
    ("faith", "Faith"),
    ("civic", "Civic"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("events", "Category")
    for order, (slug, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("events", "0004_event_details_and_schedules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
