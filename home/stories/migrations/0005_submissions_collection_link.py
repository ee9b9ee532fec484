import django.db.models.deletion
from django.db import migrations, models


def link_collection_by_name(apps, schema_editor):
    # Until now tellers' photos went to the top-level collection named "Story submissions".
    StoryIndexPage = apps.get_model("stories", "StoryIndexPage")
    Collection = apps.get_model("wagtailcore", "Collection")
    collection = (
        Collection.objects.filter(depth=2, name="Story submissions").order_by("path").first()
    )
    if collection is not None:
        StoryIndexPage.objects.filter(submissions_collection__isnull=True).update(
            submissions_collection=collection
        )


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0004_submission_content_hash"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="storyindexpage",
            name="submissions_collection",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.collection",
                verbose_name="collection for tellers' photos",
            ),
        ),
        migrations.RunPython(link_collection_by_name, migrations.RunPython.noop),
    ]
