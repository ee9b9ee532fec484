import django.db.models.deletion
from django.db import migrations, models


def link_collections_by_title(apps, schema_editor):
    # Until now a group's collection was the top-level collection named as the group.
    GroupPage = apps.get_model("events", "GroupPage")
    Collection = apps.get_model("wagtailcore", "Collection")
    for group in GroupPage.objects.filter(collection__isnull=True):
        collection = Collection.objects.filter(depth=2, name=group.title).order_by("path").first()
        if collection is not None:
            GroupPage.objects.filter(pk=group.pk).update(collection=collection)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0010_feed_entries"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="grouppage",
            name="collection",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.collection",
                verbose_name="image collection",
            ),
        ),
        migrations.RunPython(link_collections_by_title, migrations.RunPython.noop),
    ]
