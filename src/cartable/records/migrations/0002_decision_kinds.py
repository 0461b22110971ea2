"""The usual decisions of a semester jury (the scolarité may add, rename or retire some)."""

from django.db import migrations

KINDS = (
    ("normal", "Poursuite normale", "Normal continuation", 10),
    ("warning", "Poursuite avec avertissement", "Continuation with a warning", 20),
    ("probation", "Poursuite sous conditions", "Continuation on probation", 30),
    ("reorientation", "Réorientation", "Reorientation", 40),
)


def seed(apps, schema_editor):
    DecisionKind = apps.get_model("records", "DecisionKind")
    for code, label, label_en, order in KINDS:
        DecisionKind.objects.update_or_create(
            code=code, defaults={"label": label, "label_en": label_en, "order": order}
        )


def unseed(apps, schema_editor):
    DecisionKind = apps.get_model("records", "DecisionKind")
    DecisionKind.objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
