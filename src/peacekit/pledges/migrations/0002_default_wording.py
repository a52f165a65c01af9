"""Seed the default Promise wording, checklist template and toolkit templates (peacekit's own)."""

from django.db import migrations


def seed(apps, schema_editor):
    from peacekit.pledges import defaults

    PromiseTemplate = apps.get_model("pledges", "PromiseTemplate")
    ChecklistStepTemplate = apps.get_model("pledges", "ChecklistStepTemplate")
    ToolkitTemplate = apps.get_model("pledges", "ToolkitTemplate")
    if not PromiseTemplate.objects.exists():
        PromiseTemplate.objects.create(
            title=defaults.PROMISE_TITLE, body=defaults.PROMISE_BODY, is_active=True
        )
    if not ChecklistStepTemplate.objects.exists():
        for position, (title, description) in enumerate(defaults.CHECKLIST_STEPS, start=1):
            ChecklistStepTemplate.objects.create(
                title=title, description=description, position=position
            )
    for kind, (title, body) in defaults.TOOLKIT.items():
        ToolkitTemplate.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})


class Migration(migrations.Migration):
    dependencies = [("pledges", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
