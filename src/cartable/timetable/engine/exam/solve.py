"""The examination timetabling solver: construction, then simulated annealing on two cores.

Each worker builds its own first timetable (forward search, CP-SAT repairs if needed; see
``construct``) and improves it by simulated annealing with Kempe-chain and room moves (see
``search``). With ``workers=2`` (the default) the two workers run in separate processes
(forked where the platform allows it, so no main-module guard is needed) with seeds derived
from the given one, and the best timetable wins (fewest hard violations, then lowest soft
cost, then lowest worker index). With ``workers=1``, or when called from a daemonic process
(which may not have children, e.g. a task of a prefork pool), everything runs in the calling
process and CP-SAT may use two threads.

Budgets:

- ``time_limit`` (seconds, wall clock) is always enforced. The solver is anytime: when time
  runs out, or ``should_stop()`` returns true, it returns the best timetable found so far.
- ``iterations`` (local-search moves per worker) makes a run deterministic: the annealing
  schedule follows the move count, CP-SAT runs interleaved under a deterministic time limit,
  so two runs with the same seed return the same timetable. A run stopped by the wall clock or
  by ``should_stop`` before its budget is spent is deterministic only up to where it stopped.

``progress(elapsed, current, best, best_hard)`` receives, a few times per second, the seconds
elapsed, the soft cost of the current timetable, and the soft cost and hard-violation count of
the best one (over all workers).
"""

from __future__ import annotations

import math
import multiprocessing
import queue
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.context import ForkContext, SpawnContext
from typing import Any

from .construct import CpSatLimits, construct
from .evaluate import Evaluation, evaluate
from .model import Assignment, Instance, Seating, Solution
from .problem import HARD, Problem
from .search import Shares, Snapshot, State, anneal

ProgressCallback = Callable[[float, int, int, int], None]
"""``progress(elapsed seconds, current soft cost, best soft cost, best hard violations)``."""

PROGRESS_INTERVAL = 0.25
"""Seconds between two progress reports (at most)."""

HEAT = (1.0, 2.0, 0.5, 4.0)
"""Starting-temperature factor of each worker: the workers hedge between schedules."""


@dataclass(frozen=True)
class SolveOptions:
    """How long and how to solve.

    - ``time_limit``: wall-clock seconds; ``seed``: the run's seed; ``workers``: processes.
    - ``iterations``: deterministic budget of local-search moves per worker (``None``: until
      the time limit).
    - ``construction_time``: seconds allowed for the first timetable (default: a third of
      the time limit); ``construction_dtime``: its CP-SAT deterministic-time budget when
      ``iterations`` is set.
    - ``t_start``/``t_end``: annealing temperatures (default: calibrated on the instance;
      ``t_scale`` multiplies the calibrated start, and worker ``i`` starts ``HEAT[i]`` times
      hotter still).
    - ``best_period_rate``: share of period moves sending an exam to its cheapest period
      rather than a random one; ``repack_rate``: share of moves re-seating a whole period.
    """

    time_limit: float = 60.0
    seed: int = 0
    iterations: int | None = None
    workers: int = 2
    construction_time: float | None = None
    construction_dtime: float = 20.0
    t_start: float | None = None
    t_end: float | None = None
    t_scale: float = 1.0
    best_period_rate: float = 0.3
    repack_rate: float = 0.01


@dataclass(frozen=True)
class SolveResult:
    """The best timetable found, its evaluation and how the run went."""

    solution: Solution
    evaluation: Evaluation
    elapsed: float
    iterations: int
    workers: int
    stopped: bool


def derive_seed(seed: int, worker: int) -> int:
    """The seed of one worker, derived from the run's seed."""
    return (seed * 1_000_003 + worker * 7_919 + 17) % (1 << 31)


def to_solution(periods: list[int], shares: list[Shares]) -> Solution:
    """A model solution from the solver's lists."""
    return Solution(
        tuple(
            Assignment(p, tuple(Seating(r, seats) for r, seats in s))
            for p, s in zip(periods, shares, strict=True)
        )
    )


def calibrate(state: State, rng: random.Random, samples: int = 400) -> tuple[float, float]:
    """Starting and final temperatures from the soft cost changes of random moves.

    The start accepts a typical worsening move about half of the time; the end accepts a
    worsening of one unit rarely.
    """
    pb = state.pb
    worse: list[int] = []
    if pb.n_exams == 0 or pb.n_periods < 2:
        return 1.0, 0.1
    for _ in range(samples):
        e = rng.randrange(pb.n_exams)
        domain = state.group_domain[e]
        q = domain[rng.randrange(len(domain))]
        if q == state.period[e] or len(pb.group[e]) > 1 or state.gain.item(e, q) >= HARD:
            continue
        found = state.period_delta(e, q)
        if found is not None and 0 < found[0] < HARD:
            worse.append(found[0])
    if not worse:
        return 1.0, 0.1
    worse.sort()
    typical = worse[len(worse) // 2]
    return max(typical / math.log(2.0), 1.0), 0.3


@dataclass
class _Run:
    """One worker's job, picklable for another process."""

    instance: Instance
    options: SolveOptions
    index: int
    seed: int
    deadline: float
    cpsat_workers: int


def _work(
    run: _Run,
    stop: Callable[[], bool],
    report: Callable[[int, int, int], None],
) -> tuple[Snapshot, int]:
    """Construct and anneal; returns the best timetable and the number of moves tried."""
    options = run.options
    problem = Problem(run.instance)
    now = time.monotonic()
    budget = run.deadline - now
    seconds = options.construction_time if options.construction_time is not None else budget / 3
    limits = CpSatLimits(
        seconds=max(0.1, min(seconds, budget)),
        deterministic_time=options.construction_dtime if options.iterations is not None else None,
        workers=run.cpsat_workers,
        seed=run.seed,
    )
    built = construct(problem, limits, should_stop=stop)
    state = State(problem, built.periods, built.shares)
    rng = random.Random(run.seed)
    t_start, t_end = calibrate(state, rng)
    t_start *= options.t_scale * HEAT[run.index % len(HEAT)]
    if options.t_start is not None:
        t_start = options.t_start
    if options.t_end is not None:
        t_end = options.t_end
    t_end = min(t_end, t_start)
    began = time.monotonic()
    span = max(run.deadline - began, 1e-6)

    def stop_now() -> bool:
        return time.monotonic() >= run.deadline or stop()

    def fraction() -> float:
        return (time.monotonic() - began) / span

    result = anneal(
        state,
        rng,
        iterations=options.iterations,
        deadline=fraction,
        t_start=t_start,
        t_end=t_end,
        stop=stop_now,
        report=report,
        best_period_rate=options.best_period_rate,
        repack_rate=options.repack_rate,
    )
    return result.best, result.iterations


def _child(run: _Run, messages: Any, stop_event: Any) -> None:
    """Entry point of a worker process: reports progress and its result on ``messages``."""
    last = 0.0

    def report(iteration: int, current: int, best: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_INTERVAL / 2:
            last = now
            messages.put(("progress", run.index, current, best))

    try:
        best, iterations = _work(run, stop_event.is_set, report)
        messages.put(("done", run.index, best.periods, best.shares, best.cost, iterations))
    except BaseException as error:  # reported to the parent, which raises it
        messages.put(("error", run.index, repr(error)))
        raise


def solve(
    instance: Instance,
    options: SolveOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> SolveResult:
    """The best timetable found for ``instance`` within the options' budget."""
    options = options or SolveOptions()
    started = time.monotonic()
    # Leave a moment to collect and evaluate the result within the time limit.
    limit = max(options.time_limit, 0.0)
    deadline = started + limit - min(0.5, 0.02 * limit)
    workers = max(1, options.workers)
    if workers == 1 or multiprocessing.current_process().daemon:
        # A daemonic process (e.g. a task of a prefork worker pool) may not have children.
        return _solve_here(instance, options, started, deadline, progress, should_stop)

    context: ForkContext | SpawnContext
    if "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("spawn")
    messages = context.Queue()
    stop_event = context.Event()
    runs = [
        _Run(instance, options, i, derive_seed(options.seed, i), deadline, 1)
        for i in range(workers)
    ]
    processes = [
        context.Process(target=_child, args=(run, messages, stop_event), daemon=True)
        for run in runs
    ]
    for process in processes:
        process.start()
    current: dict[int, int] = {}
    bests: dict[int, int] = {}
    results: dict[int, tuple[list[int], list[Shares], int, int]] = {}
    errors: list[str] = []
    stopped = False
    last_report = 0.0
    grace = deadline + 30.0
    try:
        while len(results) + len(errors) < workers:
            try:
                message = messages.get(timeout=0.05)
            except queue.Empty:
                message = None
            if message is not None:
                kind, index = message[0], message[1]
                if kind == "progress":
                    current[index], bests[index] = message[2], message[3]
                elif kind == "done":
                    results[index] = (message[2], message[3], message[4], message[5])
                    bests[index] = message[4]
                else:
                    errors.append(message[2])
            if should_stop is not None and not stopped and should_stop():
                stopped = True
                stop_event.set()
            now = time.monotonic()
            if progress is not None and bests and now - last_report >= PROGRESS_INTERVAL:
                last_report = now
                best = min(bests.values())
                progress(
                    now - started,
                    min(current.values(), default=best) % HARD,
                    best % HARD,
                    best // HARD,
                )
            if now > grace or (
                message is None and not any(p.is_alive() for p in processes) and messages.empty()
            ):
                break
    finally:
        stop_event.set()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
    if not results:
        codes = [p.exitcode for p in processes]
        raise RuntimeError(f"every solver worker failed (exit codes {codes}): {errors}")
    index = min(results, key=lambda i: (results[i][2], i))
    periods, shares, _, _ = results[index]
    solution = to_solution(periods, shares)
    evaluation = evaluate(instance, solution)
    if progress is not None:
        progress(
            time.monotonic() - started,
            evaluation.soft.total,
            evaluation.soft.total,
            evaluation.hard.total,
        )
    return SolveResult(
        solution=solution,
        evaluation=evaluation,
        elapsed=time.monotonic() - started,
        iterations=sum(r[3] for r in results.values()),
        workers=workers,
        stopped=stopped,
    )


def _solve_here(
    instance: Instance,
    options: SolveOptions,
    started: float,
    deadline: float,
    progress: ProgressCallback | None,
    should_stop: Callable[[], bool] | None,
) -> SolveResult:
    """Solve in the calling process (one worker, CP-SAT on two threads)."""
    last = 0.0
    stopped = False

    def stop() -> bool:
        nonlocal stopped
        if should_stop is not None and should_stop():
            stopped = True
        return stopped

    def report(iteration: int, current: int, best: int) -> None:
        nonlocal last
        now = time.monotonic()
        if progress is not None and now - last >= PROGRESS_INTERVAL:
            last = now
            progress(now - started, current % HARD, best % HARD, best // HARD)

    run = _Run(instance, options, 0, derive_seed(options.seed, 0), deadline, 2)
    best, iterations = _work(run, stop, report)
    solution = to_solution(best.periods, best.shares)
    evaluation = evaluate(instance, solution)
    if progress is not None:
        progress(
            time.monotonic() - started,
            evaluation.soft.total,
            evaluation.soft.total,
            evaluation.hard.total,
        )
    return SolveResult(
        solution=solution,
        evaluation=evaluation,
        elapsed=time.monotonic() - started,
        iterations=iterations,
        workers=1,
        stopped=stopped,
    )
