"""Measure the diploma-profile engine and Open Badges: recomputing every student's profile,
one student's profile page, issuing and verifying credentials.

    .venv/bin/python bench/profile.py                  # scales 1 and 10
    .venv/bin/python bench/profile.py --quick          # smoke run, tiny campus
    .venv/bin/python bench/profile.py --scales 1 --pages 300 --badges 500

For each scale, in a fresh SQLite database (the embedded default) in a temporary folder, through
subprocesses of this script (``--worker …``) so that each has its own process and memory:
(a) the demo campus is built (requirements, assessments, scores and badges included);
(b) ``recompute`` runs :func:`cartable.records.profile.recompute_all` — the background job
    after a jury or a rule change — and reports profiles per second and the peak resident
    memory of the worker process (``ru_maxrss``, Django and the data included);
(c) ``pages`` renders "/dossier/parcours/" (the student's path page: profile, suggestions,
    competency map, badges) for random registered students through Django's test client,
    in-process (no network), and reports p50/p95/p99;
(d) ``badges`` issues a fresh achievement's OpenBadgeCredential (eddsa-rdfc-2022 signature,
    status-list slot, journal, notification) to random students, then verifies each one
    (schema, proof, status list, dates), and reports credentials per second for both.
Figures are printed and written to bench/results/profile.json.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadgen import percentile
from referential import RESULT_PREFIX, ROOT, Bench, _setup_django, machine

RESULTS = ROOT / "bench" / "results" / "profile.json"


def _emit(payload: dict[str, Any]) -> None:
    print(RESULT_PREFIX + json.dumps(payload), flush=True)


def _peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def worker_recompute() -> None:
    _setup_django()
    from cartable.records.models import ProfileSnapshot
    from cartable.records.profile import recompute_all

    before = _peak_mib()
    started = time.perf_counter()
    result = recompute_all()
    seconds = time.perf_counter() - started
    _emit(
        {
            "students": result["students"],
            "complete": result["complete"],
            "snapshots": ProfileSnapshot.objects.count(),
            "seconds": round(seconds, 2),
            "profiles_per_s": round(result["students"] / seconds, 1) if seconds else None,
            "peak_rss_mib_before": before,
            "peak_rss_mib": _peak_mib(),
        }
    )


def _students(count: int, seed: int) -> list[Any]:
    from cartable.records.profile import registered_students

    students = registered_students()
    random.Random(seed).shuffle(students)
    return students[:count]


def worker_pages(count: int, seed: int) -> None:
    _setup_django()
    from django.test import Client

    students = _students(count, seed)
    user_model = students[0]._meta.get_field("user").related_model
    users = {u.pk: u for u in user_model.objects.filter(pk__in=[s.user_id for s in students])}
    client = Client()
    client.force_login(users[students[0].user_id])
    client.get("/dossier/parcours/")  # warm-up: templates, URL resolver
    timings = []
    statuses: dict[int, int] = {}
    for student in students:
        client.force_login(users[student.user_id])
        started = time.perf_counter()
        response = client.get("/dossier/parcours/")
        timings.append(time.perf_counter() - started)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    timings.sort()
    _emit(
        {
            "pages": len(timings),
            "statuses": statuses,
            "p50_ms": round(percentile(timings, 0.50) * 1000, 1),
            "p95_ms": round(percentile(timings, 0.95) * 1000, 1),
            "p99_ms": round(percentile(timings, 0.99) * 1000, 1),
            "max_ms": round(timings[-1] * 1000, 1),
        }
    )


def worker_badges(count: int, seed: int) -> None:
    _setup_django()
    from cartable.certification import actions, issuer
    from cartable.certification.models import Achievement

    Achievement.objects.get_or_create(
        code="bench-badge",
        defaults={
            "kind": "certification",
            "name": "Badge de mesure",
            "description": "Badge délivré par le banc de mesure.",
            "criteria": "Aucun : il mesure la délivrance.",
            "active": False,
        },
    )
    students = [s for s in _students(count * 2, seed) if s.institutional_email][:count]
    actions.do_issue_badge("bench-badge", students[0].uuid, acting_user=None)  # key, list
    started = time.perf_counter()
    badges = [actions.do_issue_badge("bench-badge", s.uuid, acting_user=None) for s in students[1:]]
    issued = time.perf_counter() - started
    started = time.perf_counter()
    valid = sum(issuer.verify(b.credential).valid for b in badges)
    verified = time.perf_counter() - started
    _emit(
        {
            "issued": len(badges),
            "issue_seconds": round(issued, 2),
            "issued_per_s": round(len(badges) / issued, 1) if issued else None,
            "verified": len(badges),
            "valid": valid,
            "verify_seconds": round(verified, 2),
            "verified_per_s": round(len(badges) / verified, 1) if verified else None,
        }
    )


# --- orchestration ---------------------------------------------------------------------------


class ProfileBench(Bench):
    def run(self, name: str, args: list[str], *, timeout: float = 7200) -> str:
        return super().run(name, args, timeout=max(timeout, 7200))  # scale 10 builds long

    def worker(self, name: str, *args: str, timeout: float = 600) -> dict[str, Any]:
        out = self.run(name, [str(Path(__file__).resolve()), "--worker", *args], timeout=timeout)
        for line in reversed(out.splitlines()):
            if line.startswith(RESULT_PREFIX):
                result: dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
                return result
        raise RuntimeError(f"worker {args} printed no result:\n{out}")


def run_one(bench: Bench, args: argparse.Namespace, scale: float) -> dict[str, Any]:
    name = f"scale-{scale:g}"
    print(f"demo campus at scale {scale:g} (SQLite) …", flush=True)
    built = bench.build_campus(name, scale)
    print(f"    built in {built['build_seconds']:.1f} s", flush=True)
    recompute = bench.worker(name, "recompute", timeout=7200)
    print(
        f"    recompute: {recompute['students']} profiles in {recompute['seconds']} s = "
        f"{recompute['profiles_per_s']} profiles/s; {recompute['complete']} complete; peak RSS "
        f"{recompute['peak_rss_mib']} MiB (process before: {recompute['peak_rss_mib_before']})",
        flush=True,
    )
    pages = bench.worker(name, "pages", str(args.pages), str(args.seed), timeout=3600)
    print(
        f"    one student's path page ({pages['pages']} students, in-process): p50 "
        f"{pages['p50_ms']} ms, p95 {pages['p95_ms']} ms, p99 {pages['p99_ms']} ms, max "
        f"{pages['max_ms']} ms; statuses {pages['statuses']}",
        flush=True,
    )
    badges = bench.worker(name, "badges", str(args.badges), str(args.seed), timeout=3600)
    print(
        f"    badges: {badges['issued']} issued at {badges['issued_per_s']}/s, "
        f"{badges['verified']} verified at {badges['verified_per_s']}/s "
        f"({badges['valid']} valid)",
        flush=True,
    )
    return {
        "scale": scale,
        "build": built,
        "recompute": recompute,
        "pages": pages,
        "badges": badges,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--quick", action="store_true", help="smoke run: tiny campus")
    parser.add_argument("--pages", type=int, default=300, help="students whose page is timed")
    parser.add_argument("--badges", type=int, default=300, help="credentials issued")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, *rest = args.worker
        if kind == "recompute":
            worker_recompute()
        elif kind == "pages":
            worker_pages(int(rest[0]), int(rest[1]))
        else:
            worker_badges(int(rest[0]), int(rest[1]))
        return 0
    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    if args.quick:
        scales, args.pages, args.badges = [0.05], 30, 30
        if args.out == RESULTS:
            args.out = RESULTS.with_name("profile-quick.tmp")
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="cartable-bench-profile-"))
    bench = ProfileBench(workdir)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": bool(args.quick),
        "scales": scales,
        "machine": machine("sqlite"),
        "recompute": "records.profile.recompute_all in one worker process, SQLite; peak RSS "
        "is the process's ru_maxrss",
        "pages": "GET /dossier/parcours/ through django.test.Client, in-process, one random "
        "registered student per request",
        "badges": "do_issue_badge then issuer.verify, one process, sequential",
        "runs": [],
    }
    try:
        for scale in scales:
            results["runs"].append(run_one(bench, args, scale))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["bench_seconds"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"done in {results['bench_seconds']} s; results written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
