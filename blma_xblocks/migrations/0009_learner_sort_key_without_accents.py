"""Learner.sort_key without accents (Émile sorts with the e's): recomputed for every recorded learner."""
import unicodedata

from django.db import migrations


def sort_key(username, full_name):  # Learner.sort_key_of as of this migration
    text = unicodedata.normalize("NFKD", (full_name or username or "").casefold())
    return "".join(c for c in text if not unicodedata.combining(c))[:255]


def refill_sort_keys(apps, schema_editor):
    Learner = apps.get_model("blma_xblocks", "Learner")
    changed = []
    for row in Learner.objects.only("pk", "username", "full_name", "sort_key").iterator(chunk_size=2000):
        key = sort_key(row.username, row.full_name)
        if key != row.sort_key:
            row.sort_key = key
            changed.append(row)
    Learner.objects.bulk_update(changed, ["sort_key"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('blma_xblocks', '0008_attempt_current_index'),
    ]

    operations = [
        migrations.RunPython(refill_sort_keys, migrations.RunPython.noop),
    ]
