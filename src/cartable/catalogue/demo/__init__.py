"""A deterministic demo training offer shaped like UTBM's, on top of the demo referential.

``TrainingCatalogueBuilder(seed=2026, scale=1, day=...).steps()`` gives the named steps of the
build; each step writes its rows with ``bulk_create`` in batches and returns how many it wrote.
It builds UE categories, a software catalogue, one competency framework per diploma
(:mod:`cartable.competencies.demo`), the diplomas with their programmes for the current and
the previous catalogue year (with filières, campus, head and framework), then about 300 UEs
at scale 1 (3,000 at scale 10) with their offers for both years: syllabus in French and
English, credits, hours, groups, team, constituent elements, prerequisites, competencies
developed and software needs.

Both years are published; in the current year a few UEs have a second version in draft or
in review, and in the previous year a few were republished (their first version archived).
The demo personas get their part: ``resp-ue`` coordinates several INFO UEs, ``enseignant``
teaches in a few, ``resp-formation`` heads the INFO programme of both years.

Labels, codes and numbers are assumptions for a demonstration (see :mod:`.tables`).
"""

from .builder import TrainingCatalogueBuilder, catalogue_exists, totals

__all__ = ["TrainingCatalogueBuilder", "catalogue_exists", "totals"]
