"""Measure the referential: CSV import throughput, effective rights for everyone, home-page latency.

    .venv/bin/python bench/referential.py                 # scales 1 and 10, about 3-5 minutes
    .venv/bin/python bench/referential.py --quick         # smoke run, well under a minute
    .venv/bin/python bench/referential.py --scales 1,10 --clients 20 --requests 50

Every measurement runs against a fresh SQLite database in a temporary folder, through
subprocesses of this script (``--worker …``) so that each one has its own Django settings:
(a) ``run_import("persons", …)`` on a generated CSV: dry run, real run, idempotent real run;
(b) ``effective_services_for_all()`` on the demo campus built at each scale;
(c) "/" at the largest scale, served by gunicorn on 127.0.0.1, under concurrent clients each
    logged in as a different real student (sessions written straight into the session table).
The figures are printed and written to bench/results/referential.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import loadgen

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "referential.json"
PERSONS_COLUMNS = (
    "login;eppn;civil_last_name;civil_first_name;usage_last_name;usage_first_name;birth_date;"
    "institutional_email;personal_email;ine;student_number;staff_number;photo_consent;red_list"
)
RESULT_PREFIX = "RESULT "
# gunicorn's documented starting point: (2 x cores) + 1 worker processes. Keep-alive
# connections stay with the worker that accepted them, so with two workers a few clients can
# pile onto one core while the other idles; more processes spread them.
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1))
GUNICORN_THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", 4))


# --- workers: run inside a subprocess with DATABASE_URL set -------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cartable.settings.dev")
    import django

    django.setup()


def _emit(payload: dict[str, Any]) -> None:
    print(RESULT_PREFIX + json.dumps(payload), flush=True)


def persons_csv(count: int, seed: int = 2026) -> str:
    """``count`` plausible persons (70 % students, 30 % staff) in the documented CSV layout."""
    from faker import Faker

    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    lines = [PERSONS_COLUMNS]
    for index in range(count):
        first, last = fake.first_name(), fake.last_name()
        login = f"imp{index:06d}"
        student = rng.random() < 0.7
        usage = fake.last_name() if rng.random() < 0.08 else ""
        birth = f"{rng.randint(1960, 2007)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines.append(
            ";".join(
                (
                    login,
                    f"{login}@utbm.fr",
                    last,
                    first,
                    usage,
                    "",
                    birth,
                    f"{login}@utbm.fr",
                    f"{login}@example.org" if rng.random() < 0.5 else "",
                    f"{7000000000 + index:010d}{rng.choice('ABCDEFGHJK')}" if student else "",
                    f"{26000000 + index}" if student else "",
                    "" if student else f"B{index:06d}",
                    "oui" if rng.random() < 0.5 else "non",
                    "oui" if rng.random() < 0.02 else "non",
                )
            )
        )
    return "\n".join(lines) + "\n"


def worker_import(rows: int) -> None:
    _setup_django()
    from django.core.management import call_command
    from django.db import connection

    from cartable.referential.imports import run_import

    call_command("migrate", verbosity=0, interactive=False)
    content = persons_csv(rows)
    runs = []
    for label, dry_run in (("dry run", True), ("real run", False), ("second real run", False)):
        started = time.perf_counter()
        report = run_import("persons", content, fmt="csv", dry_run=dry_run, acting_user=None)
        seconds = time.perf_counter() - started
        runs.append(
            {
                "run": label,
                "dry_run": dry_run,
                "rows_read": report.rows_read,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "errors": len(report.errors),
                "committed": report.committed,
                "seconds": round(seconds, 3),
                "rows_per_s": round(report.rows_read / seconds, 1) if seconds else None,
                "first_errors": [e.as_dict() for e in report.errors[:3]],
            }
        )
    _emit({"vendor": connection.vendor, "rows": rows, "runs": runs})


def worker_rights() -> None:
    _setup_django()
    from django.db import connection

    from cartable.access import api as access
    from cartable.referential.models import Person

    timings = []
    evaluated = 0
    for _ in range(2):  # the first pass also warms SQLite's page cache
        started = time.perf_counter()
        evaluated = len(access.effective_services_for_all())
        timings.append(time.perf_counter() - started)
    _emit(
        {
            "vendor": connection.vendor,
            "persons_in_referential": Person.objects.count(),
            "persons_evaluated": evaluated,
            "seconds_first": round(timings[0], 3),
            "seconds": round(min(timings), 3),
            "persons_per_s": round(evaluated / min(timings), 1),
        }
    )


def worker_sessions(count: int) -> None:
    """Log ``count`` different active students in, straight into the session table."""
    _setup_django()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from cartable.referential import api as referential
    from cartable.referential.models import Person

    students = sorted(
        str(person_uuid)
        for person_uuid, facts in referential.facts_for(None).items()
        if any(c.population_code == "student" for c in facts.contracts)
    )
    chosen = random.Random(2026).sample(students, count)
    people = Person.objects.filter(uuid__in=chosen, user__isnull=False).select_related("user")
    keys = []
    for person in people:
        user = person.user
        assert user is not None
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "cartable.referential.backends.ReferentialModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append({"login": person.login, "session": session.session_key})
    _emit({"sessions": keys})


# --- orchestration -------------------------------------------------------------------------


class Bench:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir

    def env(self, name: str) -> dict[str, str]:
        var = self.workdir / name
        var.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.update(
            DATABASE_URL=f"sqlite:///{var / 'bench.sqlite3'}",
            CARTABLE_VAR_DIR=str(var),
            DJANGO_SETTINGS_MODULE="cartable.settings.dev",
            DJANGO_DEBUG="0",
            CARTABLE_PLAIN_HTTP="1",
            PYTHONPATH=str(ROOT / "src"),
        )
        return env

    def run(self, name: str, args: list[str], *, timeout: float = 600) -> str:
        done = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env(name),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def worker(self, name: str, *args: str, timeout: float = 600) -> dict[str, Any]:
        out = self.run(name, [str(Path(__file__).resolve()), "--worker", *args], timeout=timeout)
        for line in reversed(out.splitlines()):
            if line.startswith(RESULT_PREFIX):
                result: dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
                return result
        raise RuntimeError(f"worker {args} printed no result:\n{out}")

    def build_campus(self, name: str, scale: float) -> dict[str, Any]:
        started = time.perf_counter()
        self.run(name, ["manage.py", "migrate", "--no-input", "-v0"])
        migrated = time.perf_counter()
        command = ["manage.py", "build_demo_campus", "--seed", "2026", "--scale", str(scale)]
        out = self.run(name, command)
        finished = time.perf_counter()
        internal = re.search(r"Campus construit en ([\d.]+) s", out)
        totals = {
            m.group(1).strip(): int(m.group(2))
            for m in re.finditer(r"^  ([a-z][a-z ]+?)\s+(\d+)$", out, re.MULTILINE)
        }
        return {
            "migrate_seconds": round(migrated - started, 2),
            "build_seconds": round(finished - migrated, 2),
            "build_seconds_in_command": float(internal.group(1)) if internal else None,
            "totals": totals,
        }


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(bench: Bench, name: str) -> Iterator[str]:
    """Serve the database of ``name`` on a loopback port; always stop the server."""
    port = _free_port()
    log = (bench.workdir / name / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "cartable.wsgi",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(GUNICORN_WORKERS),
            "--threads", str(GUNICORN_THREADS),
            "--worker-class", "gthread",
            "--timeout", "60",
        ],
        cwd=ROOT, env=bench.env(name), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield base
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=5)
        log.close()


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped before serving (see gunicorn.log)")
        try:
            if httpx.get(f"{base}/connexion/", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


def load(
    base: str, sessions: list[dict[str, str]], requests: int, warmup: int, time_bound: float
) -> dict[str, Any]:
    """Each logged-in client GETs "/" ``warmup`` times, waits for the others, then
    ``requests`` times (see :func:`loadgen.load`)."""
    return loadgen.load(
        base,
        lambda rng: "/",
        len(sessions),
        requests,
        warmup,
        time_bound,
        headers=lambda index: {"Cookie": f"sessionid={sessions[index]['session']}"},
    )


def machine(vendor: str) -> dict[str, Any]:
    import sqlite3

    import django

    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database_vendor": vendor,
        "sqlite": sqlite3.sqlite_version,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10", help="comma-separated campus scales")
    parser.add_argument("--quick", action="store_true", help="smoke run: tiny sizes")
    parser.add_argument("--import-rows", type=int, default=25_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per client")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per client")
    parser.add_argument("--time-bound", type=float, default=180.0, help="seconds, timed phase")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--keep", action="store_true", help="keep the temporary databases")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, *rest = args.worker
        {"import": lambda: worker_import(int(rest[0])), "rights": worker_rights,
         "sessions": lambda: worker_sessions(int(rest[0]))}[kind]()  # fmt: skip
        return 0
    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    if args.quick:
        scales = [0.05]
        args.import_rows, args.clients, args.requests, args.warmup = 500, 4, 5, 1
        args.time_bound = 30.0
        if args.out == RESULTS:  # a smoke run does not overwrite the real figures
            args.out = RESULTS.with_name("referential-quick.tmp")
    return run_bench(args, scales)


def run_bench(args: argparse.Namespace, scales: list[float]) -> int:
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="cartable-bench-"))
    bench = Bench(workdir)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": bool(args.quick),
        "scales": scales,
    }
    try:
        print(f"(a) import of {args.import_rows} persons (CSV) …", flush=True)
        imported = bench.worker("import", "import", str(args.import_rows))
        results["machine"] = machine(imported["vendor"])
        results["import"] = imported
        for run in imported["runs"]:
            print(
                f"    {run['run']:<16} {run['rows_read']:>7} rows  {run['seconds']:8.2f} s  "
                f"{run['rows_per_s']:>9} rows/s  created {run['created']}, updated "
                f"{run['updated']}, unchanged {run['unchanged']}, errors {run['errors']}, "
                f"committed {run['committed']}",
                flush=True,
            )
        results["rights"] = []
        for scale in scales:
            name = f"scale-{scale:g}"
            print(f"(b) demo campus at scale {scale:g} …", flush=True)
            built = bench.build_campus(name, scale)
            rights = bench.worker(name, "rights")
            results["rights"].append({"scale": scale, "build": built, **rights})
            print(
                f"    build {built['build_seconds']:.1f} s "
                f"(in the command {built['build_seconds_in_command']} s), "
                f"{built['totals'].get('persons')} persons; effective_services_for_all: "
                f"{rights['persons_evaluated']} persons in {rights['seconds']:.2f} s "
                f"(first pass {rights['seconds_first']:.2f} s), "
                f"{rights['persons_per_s']} persons/s",
                flush=True,
            )
        largest = f"scale-{max(scales):g}"
        print(
            f"(c) GET / at scale {max(scales):g}: {args.clients} clients × {args.requests} "
            f"requests, gunicorn {GUNICORN_WORKERS} workers × {GUNICORN_THREADS} threads …",
            flush=True,
        )
        sessions = bench.worker(largest, "sessions", str(args.clients))["sessions"]
        with gunicorn(bench, largest) as base:
            latency = load(base, sessions, args.requests, args.warmup, args.time_bound)
        latency.update(
            scale=max(scales),
            server=f"gunicorn gthread, {GUNICORN_WORKERS} workers x {GUNICORN_THREADS} threads, "
            "127.0.0.1, settings cartable.settings.dev, DJANGO_DEBUG=0",
            sessions="Django sessions written to the session table for distinct active students",
        )
        results["home_page"] = latency
        print(
            f"    {latency['count']} requests, {latency['errors']} errors; mean "
            f"{latency['mean_ms']} ms, p50 {latency['p50_ms']} ms, p95 {latency['p95_ms']} ms, "
            f"p99 {latency['p99_ms']} ms; {latency['requests_per_s']} requests/s",
            flush=True,
        )
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"databases kept in {workdir}")
    results["bench_seconds"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"done in {results['bench_seconds']} s; results written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
