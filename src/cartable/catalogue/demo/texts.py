"""Plausible French and English syllabus text for the demo UEs, from their topic and level."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .domains import Domain, Topic
from .tables import ASSESSMENTS

CEFR = ("A2", "B1", "B2", "C1", "C1+")

_LOW_SUFFIXES = (
    ("", ""),
    (" : fondamentaux", ": fundamentals"),
    (" : applications", ": applications"),
    (" : outils et pratiques", ": tools and practice"),
    (" : méthodes", ": methods"),
)
_HIGH_SUFFIXES = (
    ("", ""),
    (" : approfondissement", ": further study"),
    (" : méthodes avancées", ": advanced methods"),
    (" : études de cas", ": case studies"),
    (" : projet", ": project"),
    (" : perspectives de recherche", ": research perspectives"),
    (" : outils et pratiques", ": tools and practice"),
)


@dataclass(frozen=True)
class Syllabus:
    objectives: str
    objectives_en: str
    content: str
    content_en: str
    assessment: str
    assessment_en: str
    bibliography: str


def chapters(topic: Topic) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return topic[2], topic[3]


def title(topic: Topic, tens: int, occurrence: int, kind: str) -> tuple[str, str]:
    """The title of the ``occurrence``-th UE on a topic (0 is the plain topic title)."""
    base, base_en = topic[0], topic[1]
    if kind == "language":
        level = CEFR[min(tens, len(CEFR) - 1)]
        base, base_en = f"{base} — niveau {level}", f"{base_en} — level {level}"
    suffixes = _LOW_SUFFIXES if tens <= 2 else _HIGH_SUFFIXES
    suffix, suffix_en = suffixes[occurrence % len(suffixes)]
    text, text_en = f"{base}{suffix}", f"{base_en}{suffix_en}"
    if occurrence >= len(suffixes):
        number = occurrence // len(suffixes) + 1
        text, text_en = f"{text} ({number})", f"{text_en} ({number})"
    return text, text_en


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def syllabus(rng: random.Random, domain: Domain, topic: Topic, tens: int, *, lab: bool) -> Syllabus:
    fr, en = chapters(topic)
    name, name_en = topic[0], topic[1]
    if domain.kind == "language":
        level = CEFR[min(tens, len(CEFR) - 1)]
        objectives = (
            f"Progresser vers le niveau {level} du cadre européen commun de référence (CECRL) "
            f"en {_lower(name)} : {_lower(fr[0])}, {_lower(fr[1])} et {_lower(fr[2])}. "
            "Communiquer avec aisance dans des situations personnelles et professionnelles."
        )
        objectives_en = (
            f"Progress towards CEFR level {level} in {name_en}: {_lower(en[0])}, "
            f"{_lower(en[1])} and {_lower(en[2])}. Communicate with ease in personal and "
            "professional situations."
        )
        assessment = "Contrôle continu intégral : compréhension et expression écrites et orales."
        assessment_en = "Full continuous assessment: written and oral comprehension and expression."
    elif domain.kind == "project":
        objectives = (
            "Mener en équipe, sous la direction d'un enseignant ou d'un partenaire industriel, "
            "un projet d'ingénierie de bout en bout : analyse du besoin, organisation, "
            "réalisation et restitution."
        )
        objectives_en = (
            "Carry out an engineering project end to end as a team, supervised by a teacher or "
            "an industrial partner: needs analysis, organisation, delivery and presentation."
        )
        assessment = "Rapport écrit (50 %) et soutenance orale (50 %)."
        assessment_en = "Written report (50%) and oral defence (50%)."
    else:
        if tens <= 2:
            objectives = (
                f"Acquérir les notions fondamentales du domaine « {name} » "
                f"({_lower(fr[0])}, {_lower(fr[1])}) et savoir les mettre en œuvre sur des "
                "exercices et des travaux guidés."
            )
            objectives_en = (
                f"Acquire the fundamentals of {_lower(name_en)}: {_lower(en[0])} and "
                f"{_lower(en[1])}. Apply them in exercises and guided work."
            )
        else:
            objectives = (
                f"Approfondir le domaine « {name} » et le mobiliser sur des problèmes "
                "d'ingénieur réalistes. À l'issue de l'UE, l'étudiant sait mobiliser ses "
                f"connaissances sur les thèmes « {fr[2]} » et « {fr[3]} », choisir une méthode "
                "adaptée et justifier ses choix."
            )
            objectives_en = (
                f"Deepen {_lower(name_en)} and apply it to realistic engineering problems. "
                f"By the end of the unit, students can handle {_lower(en[2])} and "
                f"{_lower(en[3])}, choose a suitable method and justify their choices."
            )
        assessment, assessment_en = rng.choice(
            [a for a in ASSESSMENTS if lab or "pratiques" not in a[0]]
        )
    content = "\n".join(f"{i}. {chapter}." for i, chapter in enumerate(fr, start=1))
    content_en = "\n".join(f"{i}. {chapter}." for i, chapter in enumerate(en, start=1))
    books = rng.sample(domain.bibliography, min(len(domain.bibliography), rng.randint(1, 3)))
    return Syllabus(
        objectives, objectives_en, content, content_en, assessment, assessment_en, "\n".join(books)
    )


def internship(title: str, title_en: str, weeks: int) -> Syllabus:
    return Syllabus(
        objectives=(
            f"{title} : s'intégrer dans une entreprise ou un laboratoire, y conduire une mission "
            "d'ingénieur et prendre du recul sur ses pratiques professionnelles."
        ),
        objectives_en=(
            f"{title_en}: join a company or a laboratory, carry out an engineering assignment "
            "and reflect on one's professional practice."
        ),
        content=(
            f"Mission de {weeks} semaines encadrée par un tuteur en entreprise et un enseignant "
            "de l'UTBM.\nConvention de stage signée avant le début de la mission.\n"
            "Rapport intermédiaire, visite ou entretien à mi-parcours."
        ),
        content_en=(
            f"A {weeks}-week assignment supervised by a company tutor and a UTBM teacher.\n"
            "Internship agreement signed before the start.\nInterim report and mid-term review."
        ),
        assessment=(
            "Évaluation du tuteur en entreprise, rapport de stage et soutenance devant un jury."
        ),
        assessment_en="Company tutor's assessment, internship report and defence before a jury.",
        bibliography="",
    )


#: What a new version changes, for drafts and versions under review.
REVISIONS = (
    (
        "Évolution proposée : une séance de travaux pratiques supplémentaire et une "
        "bibliographie mise à jour.",
        "Proposed change: one more lab session and an updated bibliography.",
    ),
    (
        "Évolution proposée : évaluation par compétences et projet en équipe renforcé.",
        "Proposed change: competency-based assessment and a larger team project.",
    ),
    (
        "Évolution proposée : ouverture d'un groupe enseigné en anglais.",
        "Proposed change: a group taught in English.",
    ),
)

#: Notes of software needs by access mode.
SOFTWARE_NOTES = {
    "byod": (
        "Installation sur l'ordinateur personnel avant la première séance.",
        "Licence étudiante fournie par l'établissement.",
        "",
    ),
    "virtualised": (
        "Accessible depuis le bureau virtuel de l'UTBM.",
        "Serveur d'applications, connexion par le VPN hors campus.",
    ),
    "lab": (
        "Postes équipés de la salle de travaux pratiques.",
        "Licence par poste : salles réservées au planning.",
    ),
}
