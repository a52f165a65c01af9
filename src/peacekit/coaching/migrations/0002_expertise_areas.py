"""Load the shipped list of expertise areas (see coaching/defaults.py)."""

from django.db import migrations


def load_areas(apps, schema_editor):
    from peacekit.coaching.defaults import EXPERTISE_AREAS

    ExpertiseArea = apps.get_model("coaching", "ExpertiseArea")
    for order, (slug, name, name_es, question, question_es) in enumerate(EXPERTISE_AREAS):
        ExpertiseArea.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_es": name_es, "question": question,
                      "question_es": question_es, "order": order},
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("coaching", "0001_initial")]

    operations = [migrations.RunPython(load_areas, migrations.RunPython.noop)]
