from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_last_contact_at(apps, schema_editor):
    """Each case's last contact made, from its contacts (kept by the contact services from
    now on)."""
    Beneficiary = apps.get_model("cases", "Beneficiary")
    Contact = apps.get_model("monitoring", "Contact")
    last = (
        Contact.objects.filter(beneficiary=OuterRef("pk"), made=True)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    Beneficiary.objects.update(last_contact_at=Subquery(last))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_legal_children_reviews"),
        ("monitoring", "0015_child_interval_timeline"),
    ]

    operations = [
        migrations.AddField(
            model_name="beneficiary",
            name="last_contact_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="last contact"
            ),
        ),
        migrations.RunPython(fill_last_contact_at, migrations.RunPython.noop, elidable=True),
    ]
