from __future__ import annotations

import factory

from cartable.certification.models import Achievement


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Achievement
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"bloc-{n}")
    kind = Achievement.Kind.BLOCK
    name = "Concevoir un système d'information"
    name_en = "Designing an information system"
    description = "Le titulaire a validé le bloc de compétences « Concevoir un SI »."
    criteria = "Toutes les compétences du bloc validées au niveau 3 au moins."
    alignments = factory.LazyFunction(
        lambda: [
            {
                "targetName": "Concevoir un système d'information",
                "targetUrl": "https://www.francecompetences.fr/recherche/rncp/99901/",
                "targetCode": "RNCP99901BC01",
                "targetFramework": "RNCP",
                "targetType": "ext:RNCPBlock",
            }
        ]
    )
