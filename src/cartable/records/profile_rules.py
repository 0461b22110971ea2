"""The diploma-profile engine (§5.2.3 "perspectives", Figure 9): graduation requirements are
data (credits overall, per category and per combination of categories, mandatory UEs,
internships, certifications such as TOEIC or PIX, competency blocks at a level); the engine says
for each one whether it is met, how far the student is, and which records count, in words a
student understands. Pure functions: no database, no HTTP.

A what-if adds planned UEs: their credits count as *planned*, never as earned, so that a
requirement reads "met if the planned UEs are passed"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

CREDITS = "credits"
MANDATORY_UES = "mandatory_ues"
INTERNSHIPS = "internships"
CERTIFICATION = "certification"
BLOCK = "block"
KINDS = (CREDITS, MANDATORY_UES, INTERNSHIPS, CERTIFICATION, BLOCK)

MET = "met"
MET_IF_PLANNED = "met_if_planned"
MISSING = "missing"


@dataclass(frozen=True)
class RequirementSpec:
    """One graduation requirement as the data says it. ``params`` by kind:

    * credits: ``categories`` (list; empty: every credit), ``min`` (credits);
    * mandatory_ues: ``ues`` (list of UE codes);
    * internships: ``count``, ``min_weeks`` (each internship at least that long);
    * certification: ``test`` (``toeic``, ``pix`` …), ``min_score``;
    * block: ``block`` (uuid), ``min_rank``.
    """

    kind: str
    label: str
    label_en: str
    params: Mapping[str, Any]
    assumption: bool = False


@dataclass(frozen=True)
class CreditItem:
    """Credits that count: a passed UE, an accepted equivalence or experience, or (what-if)
    a planned UE."""

    label: str
    category: str
    credits: Decimal
    planned: bool = False


@dataclass(frozen=True)
class InternshipItem:
    label: str
    weeks: int
    validated: bool


@dataclass(frozen=True)
class BlockItem:
    code: str
    title: str
    validated: bool
    missing: tuple[str, ...]


@dataclass(frozen=True)
class ProfileInputs:
    credits: tuple[CreditItem, ...] = ()
    passed_ues: frozenset[str] = frozenset()
    planned_ues: frozenset[str] = frozenset()
    internships: tuple[InternshipItem, ...] = ()
    #: best score of each certification test
    scores: Mapping[str, int] = field(default_factory=dict)
    #: state of each block the requirements name (by uuid, as text)
    blocks: Mapping[str, BlockItem] = field(default_factory=dict)


@dataclass(frozen=True)
class RequirementResult:
    kind: str
    label: str
    label_en: str
    state: str  # met, met_if_planned, missing
    have: Decimal
    need: Decimal
    #: what is missing, in words (French, English); empty when met
    gap: str
    gap_en: str
    #: the records that count towards it
    counted: tuple[str, ...]
    assumption: bool
    #: for credits: the categories; for blocks: the missing competency codes (for suggestions)
    detail: tuple[str, ...] = ()

    @property
    def met(self) -> bool:
        return self.state == MET

    @property
    def progress(self) -> float:
        """How far, from 0 to 1 (for a progress bar)."""
        if self.need <= 0:
            return 1.0
        return float(min(self.have / self.need, Decimal(1)))


@dataclass(frozen=True)
class Profile:
    results: tuple[RequirementResult, ...]
    planned: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return bool(self.results) and all(r.met for r in self.results)

    @property
    def met_count(self) -> int:
        return sum(1 for r in self.results if r.met)


def _number(value: Decimal) -> str:
    text = f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
    return text.replace(".", ",")


def _credits(spec: RequirementSpec, inputs: ProfileInputs) -> RequirementResult:
    categories = {c.upper() for c in spec.params.get("categories", [])}
    need = Decimal(str(spec.params["min"]))
    counted = [i for i in inputs.credits if not categories or i.category.upper() in categories]
    earned = sum((i.credits for i in counted if not i.planned), Decimal(0))
    planned = sum((i.credits for i in counted if i.planned), Decimal(0))
    where = " + ".join(sorted(categories)) if categories else ""
    if earned >= need:
        state, gap, gap_en = MET, "", ""
    else:
        missing = need - earned
        state = MET_IF_PLANNED if earned + planned >= need else MISSING
        place = f" en {where}" if where else ""
        place_en = f" in {where}" if where else ""
        gap = f"Il vous manque {_number(missing)} crédits{place}."
        gap_en = f"You need {_number(missing)} more credits{place_en}."
        if planned:
            gap += f" Vos UE prévues en apportent {_number(planned)}."
            gap_en += f" Your planned UEs bring {_number(planned)}."
    return RequirementResult(
        CREDITS,
        spec.label,
        spec.label_en,
        state,
        earned,
        need,
        gap,
        gap_en,
        tuple(
            f"{i.label} ({_number(i.credits)} cr.{' — prévue' if i.planned else ''})"
            for i in counted
        ),
        spec.assumption,
        tuple(sorted(categories)),
    )


def _mandatory(spec: RequirementSpec, inputs: ProfileInputs) -> RequirementResult:
    wanted = [str(u).upper() for u in spec.params.get("ues", [])]
    done = [u for u in wanted if u in inputs.passed_ues]
    planned = [u for u in wanted if u not in inputs.passed_ues and u in inputs.planned_ues]
    missing = [u for u in wanted if u not in inputs.passed_ues and u not in inputs.planned_ues]
    if len(done) == len(wanted):
        state, gap, gap_en = MET, "", ""
    else:
        state = MISSING if missing else MET_IF_PLANNED
        todo = missing or planned
        gap = "UE obligatoires à valider : " + ", ".join(todo) + "."
        gap_en = "Mandatory UEs still to pass: " + ", ".join(todo) + "."
    return RequirementResult(
        MANDATORY_UES,
        spec.label,
        spec.label_en,
        state,
        Decimal(len(done)),
        Decimal(len(wanted)),
        gap,
        gap_en,
        tuple(done),
        spec.assumption,
        tuple(missing),
    )


def _internships(spec: RequirementSpec, inputs: ProfileInputs) -> RequirementResult:
    count = int(spec.params.get("count", 1))
    weeks = int(spec.params.get("min_weeks", 0))
    good = [i for i in inputs.internships if i.validated and i.weeks >= weeks]
    short = [i for i in inputs.internships if i.validated and i.weeks < weeks]
    if len(good) >= count:
        state, gap, gap_en = MET, "", ""
    else:
        state = MISSING
        n = count - len(good)
        gap = f"Il vous manque {n} stage(s) validé(s) d'au moins {weeks} semaines."
        gap_en = f"You need {n} more validated internship(s) of at least {weeks} weeks."
        if short:
            gap += f" {len(short)} stage(s) validé(s) sont trop courts."
            gap_en += f" {len(short)} validated internship(s) are too short."
    return RequirementResult(
        INTERNSHIPS,
        spec.label,
        spec.label_en,
        state,
        Decimal(len(good)),
        Decimal(count),
        gap,
        gap_en,
        tuple(f"{i.label} ({i.weeks} sem.)" for i in good),
        spec.assumption,
    )


def _certification(spec: RequirementSpec, inputs: ProfileInputs) -> RequirementResult:
    test = str(spec.params["test"]).lower()
    need = int(spec.params["min_score"])
    score = inputs.scores.get(test)
    name = test.upper()
    if score is not None and score >= need:
        state, gap, gap_en = MET, "", ""
    elif score is None:
        state = MISSING
        gap = f"Aucun score {name} sur votre dossier : il faut au moins {need}."
        gap_en = f"No {name} score on your record: at least {need} is required."
    else:
        state = MISSING
        gap = f"Votre meilleur score {name} est {score} : il faut au moins {need}."
        gap_en = f"Your best {name} score is {score}: at least {need} is required."
    return RequirementResult(
        CERTIFICATION,
        spec.label,
        spec.label_en,
        state,
        Decimal(score or 0),
        Decimal(need),
        gap,
        gap_en,
        (f"{name} {score}",) if score is not None else (),
        spec.assumption,
    )


def _block(spec: RequirementSpec, inputs: ProfileInputs) -> RequirementResult:
    block = inputs.blocks.get(str(spec.params["block"]))
    rank = int(spec.params.get("min_rank", 1))
    if block is None:
        return RequirementResult(
            BLOCK,
            spec.label,
            spec.label_en,
            MISSING,
            Decimal(0),
            Decimal(1),
            "Ce bloc de compétences n'existe plus dans le référentiel.",
            "This competency block no longer exists in the framework.",
            (),
            spec.assumption,
        )
    if block.validated:
        state, gap, gap_en = MET, "", ""
    else:
        state = MISSING
        gap = (
            f"Bloc {block.code} : compétences à amener au niveau {rank} : "
            + ", ".join(block.missing)
            + "."
        )
        gap_en = (
            f"Block {block.code}: competencies to bring to level {rank}: "
            + ", ".join(block.missing)
            + "."
        )
    return RequirementResult(
        BLOCK,
        spec.label,
        spec.label_en,
        state,
        Decimal(1 if block.validated else 0),
        Decimal(1),
        gap,
        gap_en,
        (f"{block.code} — {block.title}",) if block.validated else (),
        spec.assumption,
        block.missing,
    )


EVALUATORS = {
    CREDITS: _credits,
    MANDATORY_UES: _mandatory,
    INTERNSHIPS: _internships,
    CERTIFICATION: _certification,
    BLOCK: _block,
}


def evaluate(specs: Sequence[RequirementSpec], inputs: ProfileInputs) -> Profile:
    """The profile: each requirement against the student's records (and planned UEs)."""
    return Profile(
        tuple(EVALUATORS[s.kind](s, inputs) for s in specs),
        tuple(sorted(inputs.planned_ues)),
    )


def check_params(kind: str, params: Mapping[str, Any]) -> list[str]:
    """What is wrong with a requirement's parameters (empty when right), for the screens and
    imports that write them."""
    need: dict[str, tuple[str, ...]] = {
        CREDITS: ("min",),
        MANDATORY_UES: ("ues",),
        INTERNSHIPS: ("count",),
        CERTIFICATION: ("test", "min_score"),
        BLOCK: ("block", "min_rank"),
    }
    if kind not in need:
        return [f"unknown kind {kind}"]
    return [f"{kind}: {name} is missing" for name in need[kind] if name not in params]


def planned_items(
    planned: Iterable[tuple[str, str, Decimal]], passed: frozenset[str]
) -> tuple[CreditItem, ...]:
    """Planned UEs (code, category, credits) as planned credits, leaving out those passed."""
    return tuple(
        CreditItem(code, category, credits, planned=True)
        for code, category, credits in planned
        if code.upper() not in passed
    )
