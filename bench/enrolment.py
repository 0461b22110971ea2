"""Replay an enrolment campaign opening on PostgreSQL: every student chooses at once, over HTTP.

    .venv/bin/python bench/enrolment.py                  # scales 1 and 10
    .venv/bin/python bench/enrolment.py --quick          # smoke run, a couple of minutes
    .venv/bin/python bench/enrolment.py --scales 1 --clients 48

For each scale, in a throwaway PostgreSQL database (created and dropped by this script on the
server of ``BENCH_POSTGRES_URL``, default postgres://postgres@127.0.0.1:5432):
(a) the demo campus is built, then a subprocess of this script (``--worker prepare``) creates
    the bench's own campaign (its own code, reset if present) for the current semester, open
    now, with its seats prepared and a credit range per programme; accepted enrolments of that
    semester's offers are set aside (an opening starts with nobody enrolled); every student of
    the population gets a plan: UEs of their programme for the semester not passed yet, two
    "popular" UEs of the programme first (their places cut to ~60 % of the demand, so that some
    students find them full and join the wait-list), then others up to about 30 credits;
(b) every student is logged in by writing a Django session straight into the session table:
    the bench measures choosing, not logging in;
(c) gunicorn serves the database on 127.0.0.1; concurrent clients (threads, one keep-alive
    http.client connection each, released together) take the students one after the other:
    GET /api/v1/enrolment/campaigns/ (which sets the CSRF cookie), then POST each UE of the plan
    to /api/v1/enrolment/campaigns/<code>/choices/ with the token, and POST the wait-list when
    the only refusal is that the UE is full;
(d) ``--worker check`` checks the invariants (cartable.enrolment.invariants): no UE over
    capacity, no accepted choice lost, none duplicated, seat counts equal to the enrolments,
    no wait-list position skipped;
(e) pgbench, with as many clients, runs a transaction that updates one row under contention
    (``UPDATE bench_seat SET taken = taken + 1 WHERE id = 1`` in a table it creates and drops):
    PostgreSQL's own ceiling for the hottest row on this machine, and the ratio of the two.
Choices per second, p50/p95/p99 latency, refusals by cause and the checks are printed and
written to bench/results/enrolment.json.
"""

from __future__ import annotations

import argparse
import glob
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadgen import percentile
from referential import (
    GUNICORN_THREADS,
    GUNICORN_WORKERS,
    RESULT_PREFIX,
    ROOT,
    Bench,
    _setup_django,
    gunicorn,
    machine,
)

RESULTS = ROOT / "bench" / "results" / "enrolment.json"
SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
CAMPAIGN = "bench-ouverture"  # the bench's own campaign, whatever campaigns the demo makes
POPULATION = "student"
POPULAR_PER_PROGRAMME = 2
POPULAR_SHARE = 0.6  # places of a popular UE, as a share of the students who want it
PLAN_CREDITS = 30
CREDIT_RANGE = ("24", "33")


def _emit(payload: dict[str, Any]) -> None:
    print(RESULT_PREFIX + json.dumps(payload), flush=True)


def current_semester(day: Any) -> str:
    """A (autumn: September to January) or P (spring)."""
    return "A" if day.month >= 8 or day.month == 1 else "P"


# --- workers: run inside a subprocess with DATABASE_URL set ----------------------------------


def worker_prepare(plans_path: str, seed: int) -> None:
    """The bench's campaign, its seats, a plan and a session per student (written to
    ``plans_path``)."""
    _setup_django()
    from django.utils import timezone

    from cartable.catalogue import api as catalogue
    from cartable.enrolment import actions, rules
    from cartable.enrolment.models import Campaign, Enrolment, ProgrammeRule, Seats
    from cartable.enrolment.queries import programme_of
    from cartable.referential import api as referential

    now = timezone.now()
    year, semester = catalogue.current_year(), current_semester(timezone.localdate(now))
    old = Campaign.objects.filter(code=CAMPAIGN).first()
    if old is not None:  # reset: a campaign opening starts from nothing
        Enrolment.objects.filter(campaign=old).delete()
        old.delete()
    offers = [u for u, _capacity in catalogue.published_offers_of_semester(year, semester)]
    set_aside = (
        Enrolment.objects.filter(offer__uuid__in=offers, status=Enrolment.Status.ACCEPTED)
        .exclude(grade_published_at__isnull=False)
        .update(status=Enrolment.Status.DROPPED)
    )
    campaign = Campaign.objects.create(
        code=CAMPAIGN,
        title="Ouverture des inscriptions (banc d'essai)",
        title_en="Enrolment opening (benchmark)",
        year=year,
        semester=semester,
        population=POPULATION,
        opens_at=now - timedelta(minutes=1),
        advising_from=now + timedelta(days=7),
        closes_at=now + timedelta(days=14),
    )
    actions.do_prepare_seats(CAMPAIGN, acting_user=None)

    rng = random.Random(seed)
    students = []
    for person_uuid, facts in sorted(referential.facts_for(None).items(), key=lambda kv: kv[0]):
        registration = next(
            (
                c
                for c in facts.contracts
                if c.kind == "registration" and c.population_code == POPULATION
            ),
            None,
        )
        if registration is not None:
            students.append((person_uuid, programme_of(registration)))
    open_to: dict[str, list[Any]] = {}
    for _person, programme in students:
        if programme not in open_to:
            open_to[programme] = catalogue.offers_for_enrolment(programme, year, semester)
    passed = set(
        Enrolment.objects.filter(
            grade__in=rules.PASSING_GRADES, grade_published_at__isnull=False
        ).values_list("student__uuid", "offer__ue__code")
    )
    popular = {
        programme: [
            o.ue_code for o in rng.sample(offers_, min(POPULAR_PER_PROGRAMME, len(offers_)))
        ]
        for programme, offers_ in open_to.items()
    }
    plans: list[dict[str, Any]] = []
    demand: Counter[str] = Counter()
    for person_uuid, programme in students:
        offers_ = open_to[programme]
        if not offers_:
            continue
        open_now = [o for o in offers_ if (person_uuid, o.ue_code) not in passed]
        first = [o for o in open_now if o.ue_code in popular[programme]]
        others = [o for o in open_now if o.ue_code not in popular[programme]]
        plan, credits = [], 0.0
        for offer in first + rng.sample(others, len(others)):
            if credits >= PLAN_CREDITS:
                break
            plan.append(offer.ue_code)
            credits += float(offer.credits)
        demand.update(plan[:POPULAR_PER_PROGRAMME])
        plans.append({"student": str(person_uuid), "programme": programme, "plan": plan})
    for programme in open_to:
        ProgrammeRule.objects.get_or_create(
            campaign=campaign,
            programme=programme,
            defaults={"min_credits": CREDIT_RANGE[0], "max_credits": CREDIT_RANGE[1]},
        )
    popular_codes = {code for codes in popular.values() for code in codes}
    cut = 0
    for seats in Seats.objects.filter(campaign=campaign, offer__ue__code__in=popular_codes):
        wanted = demand[seats.offer.ue.code]
        places = max(1, int(wanted * POPULAR_SHARE))
        if wanted and (seats.capacity is None or seats.capacity > places):
            seats.capacity = places
            seats.save(update_fields=["capacity"])
            cut += 1
    sessions = _sessions([p["student"] for p in plans])
    for entry in plans:
        entry["session"] = sessions[entry["student"]]
    plans = [p for p in plans if p["session"]]
    Path(plans_path).write_text(json.dumps(plans))
    _emit(
        {
            "campaign": CAMPAIGN,
            "year": year,
            "semester": semester,
            "students": len(plans),
            "choices_planned": sum(len(p["plan"]) for p in plans),
            "programmes": len(open_to),
            "offers_of_the_semester": len(offers),
            "seats_rows": Seats.objects.filter(campaign=campaign).count(),
            "seats_limited": Seats.objects.filter(
                campaign=campaign, capacity__isnull=False
            ).count(),
            "popular_ues_cut": cut,
            "enrolments_set_aside": set_aside,
        }
    )


def _sessions(student_uuids: list[str]) -> dict[str, str]:
    """A Django session per student, written straight into the session table."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils.crypto import get_random_string

    from cartable.referential.models import Person

    people = Person.objects.filter(uuid__in=student_uuids, user__isnull=False).select_related(
        "user"
    )
    store = SessionStore()
    expiry = datetime.now(UTC) + timedelta(hours=4)
    rows, keys = [], dict.fromkeys(student_uuids, "")
    for person in people:
        user = person.user
        assert user is not None
        key = get_random_string(32, VALID_KEY_CHARS)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "cartable.referential.backends.ReferentialModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expiry))
        keys[str(person.uuid)] = key
    Session.objects.bulk_create(rows, batch_size=1000)
    return keys


def worker_check(outcomes_path: str) -> None:
    """The invariants after the rush, and what the clients were told against the database."""
    _setup_django()
    from django.db.models import Count

    from cartable.enrolment.invariants import violations
    from cartable.enrolment.models import Campaign, Enrolment, Seats, WaitlistEntry

    told = json.loads(Path(outcomes_path).read_text())
    accepted = {(s, c) for s, c in told["accepted"]}
    refused = {(s, c) for s, c in told["refused"]}
    campaign = Campaign.objects.get(code=CAMPAIGN)
    present = {
        (str(s), c)
        for s, c in Enrolment.objects.filter(
            campaign=campaign, status=Enrolment.Status.ACCEPTED
        ).values_list("student__uuid", "offer__ue__code")
    }
    accepted_by_offer = dict(
        Enrolment.objects.filter(campaign=campaign, status=Enrolment.Status.ACCEPTED)
        .values("offer_id")
        .annotate(n=Count("pk"))
        .values_list("offer_id", "n")
    )
    seats = list(
        Seats.objects.filter(campaign=campaign).values_list("offer_id", "capacity", "taken")
    )
    over_capacity = sum(
        1
        for offer_id, capacity, taken in seats
        if capacity is not None and max(taken, accepted_by_offer.get(offer_id, 0)) > capacity
    )
    duplicated_rows = (
        Enrolment.objects.filter(campaign=campaign)
        .values("student_id", "offer_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    found = violations(
        CAMPAIGN,
        enrolled=[(uuid.UUID(s), c) for s, c in accepted],
        not_enrolled=[(uuid.UUID(s), c) for s, c in refused],
    )
    _emit(
        {
            "over_capacity_ues": over_capacity,
            "lost_choices": len(accepted - present),
            "duplicated_choices": duplicated_rows + len(present - accepted),
            "refused_but_enrolled": len(refused & present),
            "seat_counts_wrong": sum(1 for v in found if "places comptées" in v),
            "violations": len(found),
            "first_violations": found[:10],
            "accepted_enrolments": len(present),
            "full_ues": sum(
                1
                for offer_id, capacity, taken in seats
                if capacity is not None and taken >= capacity
            ),
            "waiting": WaitlistEntry.objects.filter(
                campaign=campaign, status=WaitlistEntry.Status.WAITING
            ).count(),
        }
    )


# --- the rush --------------------------------------------------------------------------------


def _cookie(response: http.client.HTTPResponse, name: str) -> str | None:
    for header in response.msg.get_all("Set-Cookie") or []:
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        if name in jar:
            return jar[name].value
    return None


def rush(base: str, plans: list[dict[str, Any]], clients: int, time_bound: float) -> dict[str, Any]:
    """``clients`` threads take the students one after the other and submit their plans."""
    address = urlsplit(base)
    choices_url = f"/api/v1/enrolment/campaigns/{CAMPAIGN}/choices/"
    waitlist_url = f"/api/v1/enrolment/campaigns/{CAMPAIGN}/waitlist/"
    lock = threading.Lock()
    latencies: list[float] = []
    causes: Counter[str] = Counter()
    accepted: list[tuple[str, str]] = []
    refused: list[tuple[str, str]] = []
    errors: list[str] = []
    counts: Counter[str] = Counter()
    state = {"next": 0, "start": 0.0, "stop": 0.0}

    def start_clock() -> None:
        state["start"] = time.perf_counter()
        state["stop"] = state["start"] + time_bound

    barrier = threading.Barrier(clients, action=start_clock)

    def client() -> None:
        connection = http.client.HTTPConnection(
            address.hostname or "127.0.0.1", address.port, timeout=60
        )

        def send(
            method: str, url: str, headers: dict[str, str], body: str | None = None
        ) -> tuple[int, bytes, http.client.HTTPResponse]:
            connection.request(method, url, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read(), response

        barrier.wait()
        while time.perf_counter() < state["stop"]:
            with lock:
                index = int(state["next"])
                state["next"] += 1
            if index >= len(plans):
                break
            student = plans[index]
            headers = {"Cookie": f"sessionid={student['session']}"}
            token, status = None, 0
            for _attempt in range(2):  # a keep-alive connection closed by the server: again
                try:
                    status, _body, response = send("GET", "/api/v1/enrolment/campaigns/", headers)
                    token = _cookie(response, "csrftoken")
                    break
                except (OSError, http.client.HTTPException):
                    connection.close()
            if status != 200 or token is None:
                with lock:
                    errors.append(f"GET campaigns: {status}")
                continue
            headers = {
                "Cookie": f"sessionid={student['session']}; csrftoken={token}",
                "X-CSRFToken": token,
                "Content-Type": "application/json",
            }
            for code in student["plan"]:
                body = json.dumps({"ue": code})
                started = time.perf_counter()
                try:
                    status, content, _response = send("POST", choices_url, headers, body)
                except (OSError, http.client.HTTPException) as exc:
                    connection.close()
                    with lock:
                        errors.append(f"POST {code}: {exc.__class__.__name__}")
                    continue
                elapsed = time.perf_counter() - started
                pair = (student["student"], code)
                if status == 201:
                    with lock:
                        latencies.append(elapsed)
                        accepted.append(pair)
                    continue
                if status != 409:
                    with lock:
                        errors.append(f"POST {code}: {status} {content[:200]!r}")
                    continue
                outcome = json.loads(content)
                joined = False
                if outcome["can_join_waitlist"]:
                    try:
                        waited, _content, _response = send("POST", waitlist_url, headers, body)
                        joined = waited == 201
                    except (OSError, http.client.HTTPException):
                        connection.close()
                with lock:
                    latencies.append(elapsed)
                    causes.update(r["cause"] for r in outcome["refusals"])
                    counts["refused"] += 1
                    counts["joined_waitlist"] += joined
                    if not joined:
                        refused.append(pair)
            with lock:
                counts["students"] += 1
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    load_before = os.getloadavg()[0]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - state["start"]
    ordered = sorted(latencies)

    def ms(seconds: float) -> float | None:
        return round(seconds * 1000, 1)

    return {
        "clients": clients,
        "time_bound_s": time_bound,
        "stopped_by_time_bound": int(state["next"]) < len(plans),
        "students_done": counts["students"],
        "choices": len(latencies),
        "accepted": len(accepted),
        "refused": counts["refused"],
        "joined_waitlist": counts["joined_waitlist"],
        "refusals_by_cause": dict(causes.most_common()),
        "errors": len(errors),
        "first_errors": errors[:5],
        "wall_seconds": round(wall, 2),
        "choices_per_s": round(len(latencies) / wall, 1) if wall else None,
        "mean_ms": ms(sum(ordered) / len(ordered)) if ordered else None,
        "p50_ms": ms(percentile(ordered, 0.50)) if ordered else None,
        "p95_ms": ms(percentile(ordered, 0.95)) if ordered else None,
        "p99_ms": ms(percentile(ordered, 0.99)) if ordered else None,
        "max_ms": ms(ordered[-1]) if ordered else None,
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "told": {"accepted": accepted, "refused": refused},
    }


# --- PostgreSQL ------------------------------------------------------------------------------


class PostgresBench(Bench):
    """Each name is a database of its own on the PostgreSQL server."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        self.databases: dict[str, str] = {}

    def database(self, name: str) -> str:
        return self.databases.setdefault(
            name, f"cartable_bench_enrolment_{os.getpid()}_{re.sub(r'[^a-z0-9]', '_', name)}"
        )

    def env(self, name: str) -> dict[str, str]:
        env = super().env(name)
        env["DATABASE_URL"] = f"{SERVER}/{self.database(name)}"
        return env

    def admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            connection.execute(statement)

    def create(self, name: str) -> None:
        self.drop(name)
        self.admin(f'CREATE DATABASE "{self.database(name)}"')

    def drop(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{self.database(name)}" WITH (FORCE)')

    def worker(self, name: str, *args: str, timeout: float = 1800) -> dict[str, Any]:
        out = self.run(name, [str(Path(__file__).resolve()), "--worker", *args], timeout=timeout)
        for line in reversed(out.splitlines()):
            if line.startswith(RESULT_PREFIX):
                result: dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
                return result
        raise RuntimeError(f"worker {args} printed no result:\n{out}")


def find_pgbench() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))
    return candidates[-1] if candidates else None


PGBENCH_SCRIPT = """BEGIN;
UPDATE bench_seat SET taken = taken + 1 WHERE id = 1;
END;
"""


def pgbench(bench: PostgresBench, name: str, clients: int, seconds: int) -> dict[str, Any]:
    """PostgreSQL's ceiling for one row updated under contention, with ``clients`` clients."""
    executable = find_pgbench()
    statement = "UPDATE bench_seat SET taken = taken + 1 WHERE id = 1"
    if executable is None:
        return {"available": False, "note": "pgbench introuvable / pgbench not found"}
    import psycopg

    url = f"{SERVER}/{bench.database(name)}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_seat")
        connection.execute("CREATE TABLE bench_seat (id integer PRIMARY KEY, taken integer)")
        connection.execute("INSERT INTO bench_seat VALUES (1, 0)")
    script = bench.workdir / "pgbench-one-row.sql"
    script.write_text(PGBENCH_SCRIPT)
    server = urlsplit(SERVER)
    env = dict(os.environ)
    if server.password:
        env["PGPASSWORD"] = server.password
    command = [
        executable, "-n", "-c", str(clients), "-j", str(min(clients, os.cpu_count() or 1)),
        "-T", str(seconds), "-f", str(script), "-h", server.hostname or "127.0.0.1",
        "-p", str(server.port or 5432), "-U", server.username or "postgres",
        bench.database(name),
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 120, env=env, check=False
        )
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("DROP TABLE IF EXISTS bench_seat")
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", done.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", done.stdout)
    return {
        "available": True,
        "statement": statement,
        "clients": clients,
        "seconds": seconds,
        "transactions_per_s": float(tps.group(1)) if tps else None,
        "latency_average_ms": float(latency.group(1)) if latency else None,
        "version": subprocess.run(
            [executable, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip(),
        "error": "" if done.returncode == 0 else done.stderr[-500:],
    }


# --- orchestration ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10", help="comma-separated campus scales")
    parser.add_argument("--quick", action="store_true", help="smoke run: tiny sizes")
    parser.add_argument("--clients", type=int, default=32, help="concurrent HTTP clients")
    parser.add_argument("--time-bound", type=float, default=3600.0, help="seconds per rush")
    parser.add_argument("--pgbench-seconds", type=int, default=15)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, *rest = args.worker
        if kind == "prepare":
            worker_prepare(rest[0], int(rest[1]))
        else:
            worker_check(rest[0])
        return 0
    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    if args.quick:
        scales, args.clients, args.pgbench_seconds, args.time_bound = [0.05], 8, 3, 300.0
        if args.out == RESULTS:  # a smoke run does not overwrite the real figures
            args.out = RESULTS.with_name("enrolment-quick.tmp")
    return run_bench(args, scales)


def run_one(bench: PostgresBench, args: argparse.Namespace, scale: float) -> dict[str, Any]:
    name = f"scale-{scale:g}"
    bench.create(name)
    print(
        f"demo campus at scale {scale:g} in PostgreSQL database {bench.database(name)} …",
        flush=True,
    )
    built = bench.build_campus(name, scale)
    print(f"    built in {built['build_seconds']:.1f} s", flush=True)
    plans_path = bench.workdir / name / "plans.json"
    prepared = bench.worker(name, "prepare", str(plans_path), str(args.seed))
    plans = json.loads(plans_path.read_text())
    print(
        f"    campaign {prepared['campaign']} ({prepared['year']}, semester "
        f"{prepared['semester']}): {prepared['students']} students, "
        f"{prepared['choices_planned']} choices planned over {prepared['programmes']} "
        f"programmes and {prepared['offers_of_the_semester']} offers; "
        f"{prepared['popular_ues_cut']} popular UEs cut to ~{POPULAR_SHARE:.0%} of demand",
        flush=True,
    )
    print(
        "    every student is logged in by a session written straight into the session "
        "table (login is not measured)",
        flush=True,
    )
    print(f"    rush: {args.clients} clients over HTTP …", flush=True)
    with gunicorn(bench, name) as base:
        measured = rush(base, plans, args.clients, args.time_bound)
    told = measured.pop("told")
    outcomes_path = bench.workdir / name / "outcomes.json"
    outcomes_path.write_text(json.dumps(told))
    checks = bench.worker(name, "check", str(outcomes_path))
    print(
        f"    {measured['choices']} choices by {measured['students_done']} students in "
        f"{measured['wall_seconds']} s: {measured['choices_per_s']} choices/s; p50 "
        f"{measured['p50_ms']} ms, p95 {measured['p95_ms']} ms, p99 {measured['p99_ms']} ms, "
        f"max {measured['max_ms']} ms; {measured['accepted']} accepted, {measured['refused']} "
        f"refused ({measured['joined_waitlist']} joined a wait-list), {measured['errors']} errors",
        flush=True,
    )
    print(f"    refusals by cause: {measured['refusals_by_cause']}", flush=True)
    if measured["first_errors"]:
        print(f"    first errors: {measured['first_errors']}", flush=True)
    print(
        f"    invariants: over-capacity UEs {checks['over_capacity_ues']}, lost choices "
        f"{checks['lost_choices']}, duplicated choices {checks['duplicated_choices']}, "
        f"wrong seat counts {checks['seat_counts_wrong']}, violations {checks['violations']} "
        f"({checks['full_ues']} UEs full, {checks['waiting']} students waiting)",
        flush=True,
    )
    for line in checks["first_violations"]:
        print(f"      ! {line}", flush=True)
    ceiling = pgbench(bench, name, args.clients, args.pgbench_seconds)
    ratio = None
    if ceiling.get("transactions_per_s") and measured["choices_per_s"]:
        ratio = round(measured["choices_per_s"] / ceiling["transactions_per_s"], 4)
    if ceiling["available"]:
        print(
            f"    pgbench ({ceiling['statement']}, {args.clients} clients, "
            f"{args.pgbench_seconds} s): {ceiling['transactions_per_s']} transactions/s, "
            f"latency {ceiling['latency_average_ms']} ms"
            + (f"; ratio choices/s ÷ pgbench tps = {ratio}" if ratio is not None else "")
            + (f"; error: {ceiling['error']}" if ceiling["error"] else ""),
            flush=True,
        )
    else:
        print(f"    pgbench: {ceiling['note']}: PostgreSQL's ceiling not measured", flush=True)
    return {
        "scale": scale,
        "build": built,
        "prepared": prepared,
        "rush": measured,
        "invariants": checks,
        "pgbench": ceiling,
        "ratio_choices_per_s_to_pgbench_tps": ratio,
    }


def run_bench(args: argparse.Namespace, scales: list[float]) -> int:
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="cartable-bench-enrolment-"))
    bench = PostgresBench(workdir)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": bool(args.quick),
        "scales": scales,
        "machine": {**machine("postgresql"), "postgresql_server": SERVER.split("@")[-1]},
        "server": f"gunicorn gthread, {GUNICORN_WORKERS} workers x {GUNICORN_THREADS} threads, "
        "127.0.0.1, settings cartable.settings.dev, DJANGO_DEBUG=0, PostgreSQL",
        "clients": "threads of this process, one keep-alive http.client connection each, on "
        "the same machine as the server and PostgreSQL; a student: GET my campaigns (CSRF "
        "cookie), then POST each UE of their plan, and POST the wait-list when the UE is full",
        "login": "not measured: every student's session is written straight into the session "
        "table before the rush",
        "latency": "of each POST of a choice (201 accepted or 409 refused), wait-list POSTs "
        "excluded; choices/s over the whole rush",
        "runs": [],
    }
    failed = False
    try:
        for scale in scales:
            run = run_one(bench, args, scale)
            results["runs"].append(run)
            checks = run["invariants"]
            failed = failed or any(
                checks[k]
                for k in ("over_capacity_ues", "lost_choices", "duplicated_choices", "violations")
            )
            if not args.keep:
                bench.drop(f"scale-{scale:g}")
    finally:
        if not args.keep:
            for name in list(bench.databases):
                bench.drop(name)
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"databases kept: {', '.join(bench.databases.values())}; files in {workdir}")
    results["bench_seconds"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"done in {results['bench_seconds']} s; results written to {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
