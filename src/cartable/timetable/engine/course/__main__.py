"""Command line: ``python -m cartable.timetable.engine.course instance.xml --time-limit S
--seed N [--out solution.xml]`` solves an instance and prints the evaluation."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .itc2019 import read_problem, save, solution_to_xml
from .solve import solve


def main(argv: Sequence[str] | None = None) -> int:
    """Run the solver on one instance; the exit status is 0 when the solution is feasible."""
    parser = argparse.ArgumentParser(prog="python -m cartable.timetable.engine.course")
    parser.add_argument("instance", help="ITC 2019 instance (XML)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="where to write the solution (XML)")
    parser.add_argument(
        "--deterministic",
        action="store_true",
        help="budget mode: CP-SAT deterministic time and --iterations steps",
    )
    parser.add_argument("--iterations", type=int, default=None)
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    arguments = parser.parse_args(argv)
    problem = read_problem(arguments.instance)

    def progress(elapsed: float, current: int, best: int, hard: int) -> None:
        if int(elapsed * 4) % 20 == 0:
            print(
                f"{elapsed:7.1f}s  current {current}  best {best}  hard {hard}",
                file=sys.stderr,
                flush=True,
            )

    result = solve(
        problem,
        time_limit=arguments.time_limit,
        seed=arguments.seed,
        deterministic=arguments.deterministic,
        iterations=arguments.iterations,
        progress=None if arguments.quiet else progress,
    )
    evaluation = result.evaluation
    print(f"instance       {problem.name}")
    print(f"hard           {len(evaluation.violations)}")
    for kind, count in sorted(evaluation.hard_counts().items()):
        print(f"  {kind.value}: {count}")
    print(f"time           {evaluation.time}")
    print(f"room           {evaluation.room}")
    print(f"distribution   {evaluation.distribution}")
    print(f"student        {evaluation.student}")
    print(f"total          {evaluation.total}")
    print(f"iterations     {result.iterations}")
    print(f"elapsed        {result.elapsed:.1f}s")
    if arguments.out:
        save(solution_to_xml(result.solution), arguments.out)
    return 0 if evaluation.feasible else 1


if __name__ == "__main__":
    raise SystemExit(main())
