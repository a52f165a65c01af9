"""Seed the jurisdictions: the 50 states, DC and the five inhabited territories."""

from django.db import migrations


def seed(apps, schema_editor):
    from peacekit.core.models import US_STATES
    from peacekit.research.models import TERRITORIES

    Jurisdiction = apps.get_model("research", "Jurisdiction")
    for code, name in US_STATES:
        kind = "district" if code == "DC" else "territory" if code in TERRITORIES else "state"
        Jurisdiction.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})


class Migration(migrations.Migration):
    dependencies = [("research", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
