"""Timetabling engine bench: the international benchmarks and the demo campus.

    .venv/bin/python bench/timetable.py --time-limit 60             # everything
    .venv/bin/python bench/timetable.py --parts exam --time-limit 30
    .venv/bin/python bench/timetable.py --parts sectioning --scales 1,10 --sectioning-time 120
    .venv/bin/python bench/timetable.py --parts design --scales 1 --design-time 60

* ``exam``: the 12 ITC 2007 examination instances (bench/data/itc2007-exam): feasibility and
  soft cost of the solver's solution within the time limit, evaluated by the exact evaluator,
  and the ratio to the best known cost;
* ``course``: the 6 ITC 2019 instances (bench/data/itc2019): hard violations, each penalty
  term, the weighted total, and the ratio to the best known total where one is given;
* ``sectioning``: the demo campus at each scale (built with SQLite, as ``make demo`` does),
  its autumn semester sectioned by ``section_students``: students fully sectioned, students
  left out and why, balance figures, time;
* ``design``: the demo campus's autumn weekly template designed by ``design_template``
  (every session movable, the demand of the semester's enrolments): hard violations left,
  sessions moved, students' conflicts, pairs of UEs wanted together without a compatible
  combination before and after, time.

Each instance runs in its own process, one at a time, with the time limit given on the
command line. Figures are printed as a table and written to bench/results/timetable.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from referential import RESULT_PREFIX, ROOT, Bench, machine

RESULTS = ROOT / "bench" / "results" / "timetable.json"
DATA = ROOT / "bench" / "data"
EXAM_SETS = [f"exam_comp_set{n}" for n in range(1, 13)]
COURSE_INSTANCES = [
    "lums-sum17",
    "bet-sum18",
    "wbg-fal10",
    "pu-cs-fal07",
    "muni-fsps-spr17",
    "muni-fi-spr16",
]
#: best known totals (ITC 2019 winners' table, 8 April 2021; bench/data/itc2019/README.md)
COURSE_BEST = {"muni-fsps-spr17": 868, "muni-fi-spr16": 3756}


def _emit(payload: dict[str, Any]) -> None:
    print(RESULT_PREFIX + json.dumps(payload), flush=True)


# --- workers (one instance each, in a fresh process) -------------------------------------------


def worker_exam(name: str, time_limit: float, seed: int) -> None:
    from cartable.timetable.engine.exam import itc2007
    from cartable.timetable.engine.exam.evaluate import evaluate
    from cartable.timetable.engine.exam.solve import SolveOptions, solve

    instance = itc2007.read_instance(DATA / "itc2007-exam" / f"{name}.exam")
    started = time.perf_counter()
    result = solve(instance, SolveOptions(time_limit=time_limit, seed=seed))
    seconds = time.perf_counter() - started
    evaluation = evaluate(instance, result.solution)
    best = itc2007.BEST_KNOWN.get(int(name.removeprefix("exam_comp_set")))
    soft = evaluation.soft
    _emit(
        {
            "instance": name,
            "exams": len(instance.exams),
            "feasible": evaluation.feasible,
            "hard": evaluation.hard.total,
            "soft": soft.total,
            "components": {
                "two_in_a_row": soft.two_in_a_row,
                "two_in_a_day": soft.two_in_a_day,
                "period_spread": soft.period_spread,
                "non_mixed_durations": soft.non_mixed_durations,
                "front_load": soft.front_load,
                "period_penalty": soft.period_penalty,
                "room_penalty": soft.room_penalty,
            },
            "best_known": best,
            "ratio": round(soft.total / best, 3) if best else None,
            "seconds": round(seconds, 1),
        }
    )


def worker_course(name: str, time_limit: float, seed: int) -> None:
    from cartable.timetable.engine.course import itc2019
    from cartable.timetable.engine.course.evaluate import evaluate
    from cartable.timetable.engine.course.solve import solve

    problem = itc2019.read_problem(DATA / "itc2019" / f"{name}.xml")
    started = time.perf_counter()
    result = solve(problem, time_limit=time_limit, seed=seed)
    seconds = time.perf_counter() - started
    evaluation = evaluate(problem, result.solution)
    best = COURSE_BEST.get(name)
    _emit(
        {
            "instance": name,
            "classes": len(problem.index.classes),
            "students": len(problem.students),
            "feasible": evaluation.feasible,
            "hard": sum(evaluation.hard_counts().values()),
            "time": evaluation.time,
            "room": evaluation.room,
            "distribution": evaluation.distribution,
            "student": evaluation.student,
            "total": evaluation.total,
            "best_known": best,
            "ratio": round(evaluation.total / best, 3) if best else None,
            "seconds": round(seconds, 1),
        }
    )


# --- orchestration ----------------------------------------------------------------------------


def _worker(kind: str, *args: str, timeout: float) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", kind, *args],
        cwd=ROOT,
        env={**dict(__import__("os").environ), "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            result: dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
            return result
    return {"error": (done.stderr or done.stdout)[-2000:]}


def run_exam(args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    print(f"ITC 2007 examination, {args.time_limit:g} s per instance, seed {args.seed}")
    print(f"  {'set':<18}{'feasible':>9}{'soft':>9}{'best':>8}{'ratio':>8}{'s':>7}")
    for name in args.exam_sets:
        row = _worker(
            "exam", name, str(args.time_limit), str(args.seed), timeout=args.time_limit * 4 + 300
        )
        rows.append(row)
        if "error" in row:
            print(f"  {name:<18} error: {row['error'][-300:]}")
            continue
        print(
            f"  {name:<18}{'yes' if row['feasible'] else 'NO':>9}{row['soft']:>9}"
            f"{row['best_known'] or '—':>8}{row['ratio'] or '—':>8}{row['seconds']:>7}",
            flush=True,
        )
    return rows


def run_course(args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    print(f"ITC 2019 course timetabling, {args.time_limit:g} s per instance, seed {args.seed}")
    print(
        f"  {'instance':<17}{'hard':>6}{'time':>7}{'room':>7}{'distr':>7}{'stud':>7}"
        f"{'total':>9}{'best':>7}{'ratio':>8}{'s':>7}"
    )
    for name in args.course_instances:
        row = _worker(
            "course", name, str(args.time_limit), str(args.seed), timeout=args.time_limit * 4 + 300
        )
        rows.append(row)
        if "error" in row:
            print(f"  {name:<17} error: {row['error'][-300:]}")
            continue
        print(
            f"  {name:<17}{row['hard']:>6}{row['time']:>7}{row['room']:>7}"
            f"{row['distribution']:>7}{row['student']:>7}{row['total']:>9}"
            f"{row['best_known'] or '—':>7}{row['ratio'] or '—':>8}{row['seconds']:>7}",
            flush=True,
        )
    return rows


class LongBench(Bench):
    def run(self, name: str, args: list[str], *, timeout: float = 600) -> str:
        return super().run(name, args, timeout=max(timeout, 7200))  # scale 10 builds long


_BUILT: dict[str, dict[str, Any]] = {}


def _campus(bench: Bench, scale: float) -> tuple[str, dict[str, Any]]:
    """The demo campus at ``scale``, built once for all the parts of this run."""
    name = f"scale-{scale:g}"
    if name not in _BUILT:
        print(f"demo campus at scale {scale:g} (SQLite) …", flush=True)
        _BUILT[name] = bench.build_campus(name, scale)
        print(f"    built in {_BUILT[name]['build_seconds']:.1f} s", flush=True)
    return name, _BUILT[name]


def run_design(args: argparse.Namespace, workdir: Path) -> list[dict[str, Any]]:
    bench = LongBench(workdir)
    rows = []
    for scale in args.scales:
        name, built = _campus(bench, scale)
        print(f"design: autumn template at scale {scale:g}, {args.design_time:g} s …", flush=True)
        out = bench.run(
            name,
            [
                "manage.py",
                "design_template",
                "--semester",
                "A",
                "--time-limit",
                str(int(args.design_time)),
                "--seed",
                str(args.seed),
                "--json",
            ],
            timeout=args.design_time * 4 + 1200,
        )
        figures = json.loads(out.strip().splitlines()[-1])
        figures["scale"] = scale
        figures["build_seconds"] = built["build_seconds"]
        rows.append(figures)
        print(
            f"    {figures['sessions']} sessions, {figures['students']} students: hard "
            f"{figures['hard']}, moved {figures['moved']}, student conflicts "
            f"{figures['student_conflicts']}, incompatible pairs "
            f"{figures['pairs_incompatible_before']} → {figures['pairs_incompatible']} of "
            f"{figures['pairs']}; {figures['wall_seconds']} s",
            flush=True,
        )
    return rows


def run_sectioning(args: argparse.Namespace, workdir: Path) -> list[dict[str, Any]]:
    bench = LongBench(workdir)
    rows = []
    for scale in args.scales:
        name, built = _campus(bench, scale)
        print(f"sectioning: demo campus at scale {scale:g} …", flush=True)
        out = bench.run(
            name,
            [
                "manage.py",
                "section_students",
                "--semester",
                "A",
                "--time-limit",
                str(args.sectioning_time),
                "--seed",
                str(args.seed),
                "--json",
            ],
            timeout=args.sectioning_time * 4 + 1200,
        )
        figures = json.loads(out.strip().splitlines()[-1])
        figures["scale"] = scale
        figures["build_seconds"] = built["build_seconds"]
        rows.append(figures)
        print(
            f"    {figures['fully_sectioned']}/{figures['students']} students fully sectioned; "
            f"left out {figures['left_out']} {figures['left_out_by_reason']}; fills "
            f"{figures['smallest_fill']:.0%}–{figures['largest_fill']:.0%}; "
            f"{figures['share_off_mean_10pct']:.1%} of {figures['groups_balanced']} groups more "
            f"than 10 % from their activity's mean; largest gap {figures['largest_gap']}; "
            f"{figures['seconds']} s (construction {figures['history'][0][0]} s)",
            flush=True,
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="exam,course,sectioning,design")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--sectioning-time", type=float, default=120.0)
    parser.add_argument("--design-time", type=float, default=60.0)
    parser.add_argument("--exam-sets", default=",".join(EXAM_SETS))
    parser.add_argument("--course-instances", default=",".join(COURSE_INSTANCES))
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, name, limit, seed = args.worker
        (worker_exam if kind == "exam" else worker_course)(name, float(limit), int(seed))
        return 0
    parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    args.scales = [float(s) for s in args.scales.split(",") if s.strip()]
    args.exam_sets = [s for s in args.exam_sets.split(",") if s]
    args.course_instances = [s for s in args.course_instances.split(",") if s]
    started = time.perf_counter()
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine("sqlite"),
        "time_limit_per_instance_s": args.time_limit,
        "seed": args.seed,
    }
    if args.out.exists():  # keep the parts not run this time
        previous = json.loads(args.out.read_text())
        kept = ("note", "exam", "course", "sectioning", "design")
        results |= {k: previous[k] for k in kept if k in previous}
    workdir = Path(tempfile.mkdtemp(prefix="cartable-bench-timetable-"))
    try:
        if "exam" in parts:
            results["exam"] = {"time_limit_s": args.time_limit, "rows": run_exam(args)}
        if "course" in parts:
            results["course"] = {"time_limit_s": args.time_limit, "rows": run_course(args)}
        if "sectioning" in parts:
            results["sectioning"] = {
                "time_limit_s": args.sectioning_time,
                "rows": run_sectioning(args, workdir),
            }
        if "design" in parts:
            results["design"] = {
                "time_limit_s": args.design_time,
                "rows": run_design(args, workdir),
            }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["bench_seconds"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"done in {results['bench_seconds']} s; results written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
