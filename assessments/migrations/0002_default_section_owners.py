from django.db import migrations

# Who completes each section unless an administrator changes it (see assessments/choices.py).
DEFAULTS = {
    "housing": ("case_manager", False),
    "medical": ("doctor", True),
    "psychological": ("psychologist", True),
    "education": ("teacher", False),
    "economic": ("case_manager", False),
    "administrative": ("lawyer", False),
    "legal": ("lawyer", False),
    "safety": ("case_manager", False),
    "family": ("case_manager", False),
    "return": ("case_manager", False),
}


def add_defaults(apps, schema_editor):
    SectionOwnership = apps.get_model("assessments", "SectionOwnership")
    for domain, (owner, sensitive) in DEFAULTS.items():
        SectionOwnership.objects.get_or_create(domain=domain, defaults={"owner": owner, "sensitive": sensitive})


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
