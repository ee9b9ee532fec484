from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("checkin", "0002_seed_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="scanlog",
            index=models.Index(fields=["organiser", "at"], name="scanlog_organiser_latest"),
        ),
    ]
