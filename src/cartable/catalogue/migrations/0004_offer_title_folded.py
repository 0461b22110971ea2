"""The folded titles the public guide ranks results by (docs/decisions/0007)."""

from typing import Any

from django.db import migrations, models

from cartable.core.text import fold


def fill_titles(apps: Any, schema_editor: Any) -> None:
    offer_model = apps.get_model("catalogue", "Offer")
    offers = list(offer_model.objects.only("id", "title", "title_en"))
    for offer in offers:
        offer.title_folded = fold(f"{offer.title} {offer.title_en}")[:600]
    offer_model.objects.bulk_update(offers, ["title_folded"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_offer_search_index")]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="title_folded",
            field=models.CharField(blank=True, editable=False, max_length=600),
        ),
        migrations.RunPython(fill_titles, migrations.RunPython.noop),
    ]
