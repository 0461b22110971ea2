"""Measure the public course guide: search and UE pages under concurrent clients, queries per page.

    .venv/bin/python bench/catalogue.py                  # scales 1 and 10, about 8-10 minutes
    .venv/bin/python bench/catalogue.py --quick          # smoke run, about a minute
    .venv/bin/python bench/catalogue.py --scales 10 --clients 8,20 --requests 60

For each scale, the demo campus (with its training catalogue) is built in a fresh SQLite
database in a temporary folder, then:
(a) in a subprocess of this script (``--worker …``), the Django test client counts the SQL
    queries of each kind of guide page, with an empty cache and with the page cached (the
    catalogue's revision is read again at most once a second per process: one more query
    then), and picks the URLs the load uses: published UEs of the default catalogue year,
    programme codes, words of UE titles;
(b) gunicorn serves the database on 127.0.0.1 and anonymous clients (threads of this
    process, one keep-alive http.client connection each) GET, for a bounded number of
    requests and time:
    - "search, typical": ten usual searches (text, filters, both) — cached after their first
      hit in each server process, as popular searches are;
    - "search, varied": a random word of a UE title with a random filter — mostly cache misses;
    - "UE page": the page of a random published UE — mostly cache misses (thousands of UEs);
    each by a closed loop of 4, 8 and 20 clients that send their next request as soon as the
    previous one is answered (a saturation test: on two processors shared with the clients
    it measures throughput more than latency);
(c) the varied searches and UE pages again, as an open loop: requests arriving at a fixed
    average rate (10, 25, 50 per second, Poisson), latency counted from each request's
    scheduled arrival — the p95 a visitor sees at that traffic.
Latencies (p50/p95/p99) and query counts are printed and written to bench/results/catalogue.json.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadgen import Picker, load, load_at_rate
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

RESULTS = ROOT / "bench" / "results" / "catalogue.json"
TARGET_P95_MS = 100.0


def _emit(payload: dict[str, Any]) -> None:
    print(RESULT_PREFIX + json.dumps(payload), flush=True)


# --- worker: runs inside a subprocess with DATABASE_URL set ----------------------------------


def worker_plan() -> None:
    """Query counts of each page kind, and the material the load draws its URLs from."""
    _setup_django()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cartable.catalogue import guide_cache, search
    from cartable.catalogue.models import UE, Offer, OfferProgramme, Programme
    from cartable.core.text import fold

    year = search.default_year(search.published_years())
    offers = Offer.objects.published().filter(year=year)
    codes = sorted(offers.values_list("ue__code", flat=True))
    programmes = sorted(set(Programme.objects.filter(year=year).values_list("code", flat=True)))
    words = sorted(
        {
            word
            for title in offers.values_list("title", flat=True)
            for word in fold(title).split()
            if len(word) >= 6
        }
    )
    linked = OfferProgramme.objects.filter(offer__in=offers).values_list(
        "offer__ue__code", flat=True
    )
    prerequisites = (
        offers.filter(prerequisites__required_ue__isnull=False)
        .values_list("ue__code", flat=True)
        .distinct()
    )
    rich = sorted(set(linked) & set(prerequisites))
    sample = rich[len(rich) // 2] if rich else codes[0]
    programme = programmes[len(programmes) // 2] if programmes else ""
    client = Client()
    pages = {
        "search, no filter": "/guide/",
        "search, text": "/guide/?q=systemes",
        "search, text and filters": "/guide/?q=projet&semester=A&category=CS",
        "search, htmx results": "/guide/?q=reseaux",
        "UE page": f"/guide/ue/{sample}/",
        "programme list": "/guide/formations/",
        "programme page": f"/guide/formations/{programme}/{year}/",
        "API search": "/api/v1/guide/ues/?q=systemes",
    }
    counts: dict[str, dict[str, int]] = {}
    for label, url in pages.items():
        headers = (
            {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "guide-results"}
            if "htmx" in label
            else {}
        )
        cache.clear()
        guide_cache._revision_memo["last"] = guide_cache._NOT_READ  # the first visit reads it
        row: dict[str, int] = {}
        for state in ("cache empty", "cached"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, HTTP_HOST="127.0.0.1", **headers)  # type: ignore[arg-type]
            assert response.status_code == 200, (url, response.status_code)
            row[state] = len(queries)
        counts[f"{label} ({url})"] = row
    _emit(
        {
            "year": year,
            "ue_codes": codes,
            "programmes": programmes,
            "words": words,
            "counts": counts,
            "published_offers": len(codes),
            "ues": UE.objects.count(),
            "offers": Offer.objects.count(),
        }
    )


# --- load ------------------------------------------------------------------------------------


def typical_searches(plan: dict[str, Any]) -> list[str]:
    programme = plan["programmes"][0] if plan["programmes"] else ""
    return [
        "/guide/",
        "/guide/?q=electronique",
        "/guide/?q=programmation",
        "/guide/?q=systemes",
        "/guide/?q=projet&semester=A",
        "/guide/?q=reseaux&language=en",
        "/guide/?category=CS",
        f"/guide/?programme={programme}",
        f"/guide/?programme={programme}&category=TM&semester=P",
        "/guide/?page=2",
    ]


def _typical_picker(plan: dict[str, Any]) -> Picker:
    typical = typical_searches(plan)

    def pick(rng: random.Random) -> str:
        return rng.choice(typical)

    return pick


def pickers(plan: dict[str, Any]) -> dict[str, Picker]:
    typical = typical_searches(plan)
    words: list[str] = plan["words"] or ["projet"]
    codes: list[str] = plan["ue_codes"]
    filters = ["", "&semester=A", "&semester=P", "&category=CS", "&category=TM", "&language=en"]
    return {
        "search, typical": lambda rng: rng.choice(typical),
        "search, varied": lambda rng: f"/guide/?q={rng.choice(words)}{rng.choice(filters)}",
        "UE page": lambda rng: f"/guide/ue/{rng.choice(codes)}/",
    }


# --- orchestration ---------------------------------------------------------------------------


class CatalogueBench(Bench):
    def worker(self, name: str, *args: str, timeout: float = 600) -> dict[str, Any]:
        out = self.run(name, [str(Path(__file__).resolve()), "--worker", *args], timeout=timeout)
        for line in reversed(out.splitlines()):
            if line.startswith(RESULT_PREFIX):
                result: dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
                return result
        raise RuntimeError(f"worker {args} printed no result:\n{out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10", help="comma-separated campus scales")
    parser.add_argument("--quick", action="store_true", help="smoke run: tiny sizes")
    parser.add_argument("--clients", default="4,8,20", help="comma-separated client counts")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per client")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per client")
    parser.add_argument("--time-bound", type=float, default=60.0, help="seconds per load")
    parser.add_argument(
        "--rates",
        default="10,25,50",
        help="comma-separated arrival rates (requests/s) of the open-loop loads",
    )
    parser.add_argument(
        "--rate-seconds", type=float, default=20.0, help="duration of each open-loop load"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--keep", action="store_true", help="keep the temporary databases")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        {"plan": worker_plan}[args.worker[0]]()
        return 0
    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    clients = [int(c) for c in args.clients.split(",") if c.strip()]
    rates = [float(r) for r in args.rates.split(",") if r.strip()]
    if args.quick:
        scales, clients, rates = [0.05], [4], [5.0]
        args.requests, args.warmup, args.time_bound, args.rate_seconds = 10, 2, 20.0, 4.0
        if args.out == RESULTS:  # a smoke run does not overwrite the real figures
            args.out = RESULTS.with_name("catalogue-quick.tmp")
    return run_bench(args, scales, clients, rates)


def _print_counts(counts: dict[str, dict[str, int]]) -> None:
    for page, row in counts.items():
        print(
            f"    queries  {page:<72} {row['cache empty']:>3} (cache empty), "
            f"{row['cached']:>2} (cached)",
            flush=True,
        )


def run_bench(
    args: argparse.Namespace, scales: list[float], clients: list[int], rates: list[float]
) -> int:
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="cartable-bench-catalogue-"))
    bench = CatalogueBench(workdir)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": bool(args.quick),
        "scales": scales,
        "target": f"p95 < {TARGET_P95_MS:g} ms at scale 10",
        "server": f"gunicorn gthread, {GUNICORN_WORKERS} workers x {GUNICORN_THREADS} threads, "
        "127.0.0.1, settings cartable.settings.dev, DJANGO_DEBUG=0, default cache (locmem, "
        "one per server process)",
        "clients": "anonymous, one keep-alive http.client connection per thread, on the same "
        "machine (sharing its processors with the server)",
        "runs": [],
    }
    try:
        for scale in scales:
            name = f"scale-{scale:g}"
            print(f"demo campus at scale {scale:g} …", flush=True)
            built = bench.build_campus(name, scale)
            plan = bench.worker(name, "plan")
            results.setdefault("machine", machine("sqlite"))
            print(
                f"    built in {built['build_seconds']:.1f} s: {plan['ues']} UEs, "
                f"{plan['offers']} offers, {plan['published_offers']} published in "
                f"{plan['year']}-{plan['year'] + 1}",
                flush=True,
            )
            _print_counts(plan["counts"])
            run: dict[str, Any] = {
                "scale": scale,
                "build": built,
                "catalogue_year": plan["year"],
                "ues": plan["ues"],
                "offers": plan["offers"],
                "published_offers_of_the_year": plan["published_offers"],
                "query_counts": plan["counts"],
                "typical_searches": typical_searches(plan),
                "latency": [],
            }
            with gunicorn(bench, name) as base:
                for kind, pick in pickers(plan).items():
                    for count in clients:
                        measured = load(
                            base, pick, count, args.requests, args.warmup, args.time_bound
                        )
                        measured["page"] = kind
                        run["latency"].append(measured)
                        print(
                            f"    {kind:<16} {count:>2} clients: {measured['count']:>5} req, "
                            f"{measured['errors']} errors; p50 {measured['p50_ms']} ms, "
                            f"p95 {measured['p95_ms']} ms, p99 {measured['p99_ms']} ms, "
                            f"max {measured['max_ms']} ms; {measured['requests_per_s']} req/s "
                            f"(load average {measured['load_average']})",
                            flush=True,
                        )
            # Open loop: each rate on a freshly started server (its page caches empty), warmed
            # up on other URLs, with its own seed, so that no earlier load cached its URLs.
            run["open_loop"] = []
            for kind in ("search, varied", "UE page"):
                for rate in rates:
                    with gunicorn(bench, name) as base:
                        # warm every worker up (code paths, connections, the filter
                        # choices) on the typical searches, outside the measured URLs
                        load(base, _typical_picker(plan), 10, 6, 0, 30.0)
                        measured = load_at_rate(
                            base,
                            pickers(plan)[kind],
                            rate,
                            args.rate_seconds,
                            seed=1000 + int(rate * 10),
                        )
                    measured["page"] = kind
                    measured["server"] = (
                        "started for this load, warmed up on the typical searches (60 "
                        "requests), the measured URLs not cached"
                    )
                    run["open_loop"].append(measured)
                    print(
                        f"    {kind:<16} {rate:>5g}/s arrivals: {measured['count']:>5} req, "
                        f"{measured['errors']} errors; p50 {measured['p50_ms']} ms, "
                        f"p95 {measured['p95_ms']} ms, p99 {measured['p99_ms']} ms, "
                        f"max {measured['max_ms']} ms (load average "
                        f"{measured['load_average']})",
                        flush=True,
                    )
            results["runs"].append(run)
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
