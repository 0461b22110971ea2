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


def sample_framework(code: str = "ing-info", *, blocks: int = 2, per_block: int = 2) -> Framework:
    """A complete framework: a four-level scale, blocks of competencies with English titles and
    descriptions, and two learning outcomes per competency (the first with a level)."""
    framework = FrameworkFactory(
        code=code,
        title="Référentiel du diplôme d'ingénieur en informatique",
        title_en="Computer engineering framework",
        description="Les compétences du diplôme.",
        diploma_code="ING-INFO",
        version="2026",
        creator="UTBM",
    )
    levels = scale(framework)
    for b in range(1, blocks + 1):
        block = BlockFactory(
            framework=framework,
            code=f"RNCP35627BC0{b}",
            title=f"Bloc {b}",
            title_en=f"Block {b}",
            description=f"Description du bloc {b}",
            position=b,
        )
        for c in range(1, per_block + 1):
            competency = CompetencyFactory(
                block=block,
                code=f"C{b}.{c}",
                title=f"Compétence {b}.{c}",
                title_en=f"Competency {b}.{c}",
                position=c,
            )
            LearningOutcomeFactory(
                competency=competency,
                code=f"AA{b}.{c}.1",
                text=f"Acquis {b}.{c}.1",
                text_en=f"Outcome {b}.{c}.1",
                level=levels[c % len(levels)],
                position=1,
            )
            LearningOutcomeFactory(
                competency=competency, code=f"AA{b}.{c}.2", text=f"Acquis {b}.{c}.2", position=2
            )
    return framework
