"""Factories of competency frameworks."""

from __future__ import annotations

import factory

from cartable.competencies.models import Block, Competency, Framework, LearningOutcome, Level


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"framework-{n}")
    title = factory.Sequence(lambda n: f"Référentiel {n}")
    diploma_code = "ING-INFO"


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level
        django_get_or_create = ("framework", "rank")

    framework = factory.SubFactory(FrameworkFactory)
    rank = 1
    code = factory.LazyAttribute(lambda o: f"N{o.rank}")
    label = factory.LazyAttribute(lambda o: f"Niveau {o.rank}")


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"RNCP00000BC{n:02d}")
    title = factory.Sequence(lambda n: f"Bloc {n}")


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    block = factory.SubFactory(BlockFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    title = factory.Sequence(lambda n: f"Compétence {n}")


class LearningOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningOutcome

    competency = factory.SubFactory(CompetencyFactory)
    code = factory.Sequence(lambda n: f"AA{n}")
    text = "Concevoir une architecture logicielle"


def scale(framework: Framework, ranks: int = 4) -> list[Level]:
    """A proficiency scale 1..ranks for a framework."""
    return [LevelFactory(framework=framework, rank=r) for r in range(1, ranks + 1)]
