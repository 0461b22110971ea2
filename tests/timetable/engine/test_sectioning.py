"""Student sectioning: every student in one group of each activity of their UEs, no overlap on
dated weeks, capacities held, attached groups together, balanced sizes, explanations for
those left out, few moves on a re-run, and the same result for the same seed and budget."""

from __future__ import annotations

import itertools
import random

from cartable.timetable.engine.sectioning import (
    Activity,
    Course,
    Group,
    Meeting,
    Problem,
    Result,
    solve,
)

ALL_WEEKS = 0b1111111111
ODD = 0b0101010101
EVEN = 0b1010101010


def at(day: int, hour: int, weeks: int = ALL_WEEKS, hours: int = 2) -> Meeting:
    return Meeting(1 << day, hour * 60, (hour + hours) * 60, weeks)


def course(
    code: str,
    cm: Meeting,
    tds: list[Meeting],
    tps: list[tuple[Meeting, int]] | None = None,
    *,
    td_capacity: int = 20,
    tp_capacity: int = 10,
) -> tuple[Course, list[Activity], list[Group]]:
    """A UE with one lecture, TD groups, and TP groups attached to a TD group (index)."""
    groups = [Group(f"{code}-CM1", f"{code}-CM", 500, (cm,))]
    groups += [
        Group(f"{code}-TD{i + 1}", f"{code}-TD", td_capacity, (m,)) for i, m in enumerate(tds)
    ]
    activities = [
        Activity(f"{code}-CM", code, (f"{code}-CM1",)),
        Activity(f"{code}-TD", code, tuple(f"{code}-TD{i + 1}" for i in range(len(tds)))),
    ]
    if tps:
        groups += [
            Group(f"{code}-TP{i + 1}", f"{code}-TP", tp_capacity, (m,), f"{code}-TD{parent + 1}")
            for i, (m, parent) in enumerate(tps)
        ]
        activities.append(
            Activity(f"{code}-TP", code, tuple(f"{code}-TP{i + 1}" for i in range(len(tps))))
        )
    ids = tuple(a.id for a in activities)
    return Course(code, ids), activities, groups


def problem(
    parts: list[tuple[Course, list[Activity], list[Group]]],
    requests: dict[str, tuple[str, ...]],
    previous: dict[str, dict[str, str]] | None = None,
) -> Problem:
    return Problem(
        courses={c.id: c for c, _a, _g in parts},
        activities={a.id: a for _c, acts, _g in parts for a in acts},
        groups={g.id: g for _c, _a, groups in parts for g in groups},
        requests=requests,
        previous=previous or {},
    )


def check_valid(p: Problem, result: Result) -> None:
    """No student has two overlapping meetings; capacities hold; attachments hold."""
    sizes: dict[str, int] = {}
    for student, groups in result.assignment.items():
        chosen = list(groups.values())
        for group in chosen:
            sizes[group] = sizes.get(group, 0) + 1
            parent = p.groups[group].parent
            if parent is not None:
                assert groups[p.groups[parent].activity] == parent, (student, group)
        for a, b in itertools.combinations(chosen, 2):
            assert not any(
                m.overlaps(n) for m in p.groups[a].meetings for n in p.groups[b].meetings
            ), (student, a, b)
    for group, size in sizes.items():
        assert size <= p.groups[group].capacity


def two_ues() -> list[tuple[Course, list[Activity], list[Group]]]:
    return [
        course("LO21", at(0, 8), [at(1, 8), at(1, 10), at(2, 8)]),
        course(
            "IA41",
            at(0, 10),
            [at(3, 8), at(3, 10)],
            [(at(4, 8, ODD), 0), (at(4, 8, EVEN), 0), (at(4, 10, ODD), 1), (at(4, 10, EVEN), 1)],
        ),
    ]


def test_every_student_is_sectioned_validly_and_the_groups_are_balanced() -> None:
    p = problem(two_ues(), {f"s{i}": ("LO21", "IA41") for i in range(36)})
    result = solve(p, time_limit=30, seed=1, deterministic=True, rounds=2)
    check_valid(p, result)
    assert result.fully_sectioned == 36
    assert not result.unplaced
    sizes = {f.group: f.size for f in result.fills}
    assert {sizes["LO21-TD1"], sizes["LO21-TD2"], sizes["LO21-TD3"]} == {12}
    assert {sizes[f"IA41-TP{i}"] for i in range(1, 5)} == {9}
    assert result.balance.share_off_mean == 0
    assert result.balance.largest_gap == 0


def test_alternating_weeks_do_not_clash() -> None:
    parts = [
        course("AA01", at(0, 8), [at(1, 8, ODD)]),
        course("BB02", at(0, 10), [at(1, 8, EVEN)]),
    ]
    p = problem(parts, {"ada": ("AA01", "BB02")})
    result = solve(p, time_limit=10, seed=0, deterministic=True, rounds=1)
    assert result.fully_sectioned == 1


def test_a_student_whose_ues_clash_is_told_which_ones() -> None:
    parts = [
        course("AA01", at(0, 8), [at(1, 8)]),
        course("BB02", at(0, 8), [at(2, 8)]),  # the same lecture time as AA01
        course("CC03", at(3, 8), [at(4, 8)]),
    ]
    p = problem(parts, {"ada": ("AA01", "BB02", "CC03")})
    result = solve(p, time_limit=10, seed=0, deterministic=True, rounds=1)
    assert result.fully_sectioned == 0
    (left,) = result.unplaced
    assert left.reason == "conflict"
    assert {left.course, *left.clashes_with} == {"AA01", "BB02"}
    assert "CC03" in {p.activities[a].course for a in result.assignment["ada"]}


def test_full_groups_are_named_as_the_reason() -> None:
    parts = [course("AA01", at(0, 8), [at(1, 8)], td_capacity=2)]
    p = problem(parts, {f"s{i}": ("AA01",) for i in range(3)})
    result = solve(p, time_limit=10, seed=0, deterministic=True, rounds=1)
    assert result.fully_sectioned == 2
    (left,) = result.unplaced
    assert (left.reason, left.activity) == ("capacity", "AA01-TD")


def test_a_ue_without_groups_is_reported_as_such() -> None:
    empty = (Course("ZZ99", ("ZZ99-CM",)), [Activity("ZZ99-CM", "ZZ99", ())], [])
    p = problem([*two_ues(), empty], {"ada": ("LO21", "ZZ99")})
    result = solve(p, time_limit=10, seed=0, deterministic=True, rounds=1)
    assert [(u.course, u.reason) for u in result.unplaced] == [("ZZ99", "no_groups")]


def test_a_rerun_after_late_changes_moves_few_students() -> None:
    parts = two_ues()
    requests = {f"s{i}": ("LO21", "IA41") for i in range(30)}
    first = solve(
        problem(parts, requests),
        time_limit=30,
        seed=3,
        deterministic=True,
        rounds=2,
        subproblem_budget=0.1,
    )
    late = dict(requests) | {f"late{i}": ("LO21", "IA41") for i in range(4)}
    del late["s0"]
    previous = {s: first.assignment[s] for s in requests if s != "s0"}
    second = solve(
        problem(parts, late, previous),
        time_limit=30,
        seed=4,
        deterministic=True,
        rounds=2,
        subproblem_budget=0.1,
    )
    check_valid(problem(parts, late), second)
    assert second.fully_sectioned == 33
    assert second.moved <= 2


def test_the_same_seed_and_budget_give_the_same_sectioning() -> None:
    rng = random.Random(7)
    parts = [
        course(
            f"UE{c}",
            at(c % 5, 8 + 2 * (c // 5)),
            [at(rng.randrange(5), rng.choice([12, 14, 16])) for _ in range(3)],
        )
        for c in range(10)
    ]
    requests = {f"s{i}": tuple(rng.sample([f"UE{c}" for c in range(10)], 3)) for i in range(80)}
    runs = [
        solve(
            problem(parts, requests),
            time_limit=60,
            seed=11,
            deterministic=True,
            rounds=1,
            subproblem_budget=0.05,
        )
        for _ in range(2)
    ]
    assert runs[0].assignment == runs[1].assignment
    check_valid(problem(parts, requests), runs[0])


def test_stopping_returns_a_valid_sectioning() -> None:
    p = problem(two_ues(), {f"s{i}": ("LO21", "IA41") for i in range(20)})
    result = solve(p, time_limit=30, seed=1, should_stop=lambda: True)
    check_valid(p, result)
    assert result.iterations == 0
