"""Examination timetabling in the ITC 2007 model.

    instance = read_instance("exam_comp_set1.exam")
    result = solve(instance, SolveOptions(time_limit=60, seed=1))
    result.evaluation.feasible, result.evaluation.soft.total
    write_solution("set1.sol", result.solution)

``model`` holds the instance and solution classes (exams may be split across rooms for
Cartable's own sessions), ``itc2007`` the file formats, ``evaluate`` the exact evaluator,
``solve`` the solver (``construct`` builds a first timetable, ``search`` improves it). From
the command line: ``python -m cartable.timetable.engine.exam <instance> --time-limit 60``.
"""

from __future__ import annotations

from .evaluate import Evaluation, HardViolations, SoftCost, evaluate, format_evaluation
from .itc2007 import (
    BEST_KNOWN,
    FormatError,
    format_instance,
    format_solution,
    parse_instance,
    parse_solution,
    read_instance,
    read_solution,
    write_solution,
)
from .model import (
    Assignment,
    Exam,
    Instance,
    Period,
    PeriodConstraint,
    PeriodConstraintKind,
    Room,
    Seating,
    Solution,
    Weightings,
)
from .solve import ProgressCallback, SolveOptions, SolveResult, solve

__all__ = [
    "BEST_KNOWN",
    "Assignment",
    "Evaluation",
    "Exam",
    "FormatError",
    "HardViolations",
    "Instance",
    "Period",
    "PeriodConstraint",
    "PeriodConstraintKind",
    "ProgressCallback",
    "Room",
    "Seating",
    "SoftCost",
    "Solution",
    "SolveOptions",
    "SolveResult",
    "Weightings",
    "evaluate",
    "format_evaluation",
    "format_instance",
    "format_solution",
    "parse_instance",
    "parse_solution",
    "read_instance",
    "read_solution",
    "solve",
    "write_solution",
]
