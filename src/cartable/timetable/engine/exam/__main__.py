"""Command line: ``python -m cartable.timetable.engine.exam <instance.exam> [options]``.

Solves an ITC 2007 examination instance and prints the evaluation of the best timetable
(``--check`` evaluates a given solution file instead).
"""

from __future__ import annotations

import argparse
import sys

from .evaluate import evaluate, format_evaluation
from .itc2007 import read_instance, read_solution, write_solution
from .solve import SolveOptions, solve


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0, or 1 if infeasible)."""
    parser = argparse.ArgumentParser(
        prog="python -m cartable.timetable.engine.exam",
        description="Solve (or check) an ITC 2007 examination timetabling instance.",
    )
    parser.add_argument("instance", help="the .exam file")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (wall clock)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--iterations",
        type=int,
        default=None,
        help="deterministic budget: local-search moves per worker",
    )
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--out", help="write the best solution to this file")
    parser.add_argument("--check", metavar="SOLUTION", help="evaluate this solution, no solving")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)

    instance = read_instance(args.instance)
    if args.check:
        evaluation = evaluate(instance, read_solution(args.check, instance))
        print(format_evaluation(evaluation))
        return 0 if evaluation.feasible else 1

    def progress(elapsed: float, current: int, best: int, hard: int) -> None:
        print(
            f"{elapsed:7.1f}s  current {current:>8}  best {best:>8}  hard {hard}",
            file=sys.stderr,
            flush=True,
        )

    options = SolveOptions(
        time_limit=args.time_limit,
        seed=args.seed,
        iterations=args.iterations,
        workers=args.workers,
    )
    result = solve(instance, options, progress=None if args.quiet else progress)
    if args.out:
        write_solution(args.out, result.solution)
    print(f"instance: {instance.name}")
    print(f"elapsed: {result.elapsed:.1f}s, moves tried: {result.iterations}")
    print(format_evaluation(result.evaluation))
    return 0 if result.evaluation.feasible else 1


if __name__ == "__main__":
    sys.exit(main())
