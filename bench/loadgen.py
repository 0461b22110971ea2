"""A bounded load generator for the benchmarks: loopback only, stops by itself."""

from __future__ import annotations

import contextlib
import os
import random
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

Picker = Callable[[random.Random], str]


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    rank = max(1, min(len(sorted_values), round(fraction * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def load(
    base: str,
    pick: Picker,
    clients: int,
    requests: int,
    warmup: int,
    time_bound: float,
    headers: Callable[[int], dict[str, str]] = lambda index: {},
) -> dict[str, Any]:
    """``clients`` threads, each with its own keep-alive connection: ``warmup`` untimed GETs,
    a barrier, then at most ``requests`` timed GETs each, within ``time_bound`` seconds.

    The clients use the standard library's ``http.client``, lighter than httpx: they share
    the machine's processors with the server, so the less they take the more the figures
    tell about the server."""
    import http.client
    from urllib.parse import urlsplit

    address = urlsplit(base)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    clock: dict[str, float] = {}

    def start_clock() -> None:
        clock["start"] = time.perf_counter()
        clock["stop"] = clock["start"] + time_bound

    barrier = threading.Barrier(clients + 1, action=start_clock)

    def client(index: int) -> None:
        rng = random.Random(2026 + index)
        connection = http.client.HTTPConnection(
            address.hostname or "127.0.0.1", address.port, timeout=30
        )
        sent = headers(index)
        with contextlib.closing(connection):

            def get(url: str) -> int:
                connection.request("GET", url, headers=sent)
                response = connection.getresponse()
                response.read()
                return response.status

            def one(record: bool) -> None:
                url = pick(rng)
                started = time.perf_counter()
                try:
                    try:
                        status = get(url)
                    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                        connection.close()  # the server closed an idle keep-alive connection:
                        status = get(url)  # like a browser, try once more on a new one
                    problem = "" if status == 200 else f"{url}: {status}"
                except (OSError, http.client.HTTPException) as exc:
                    connection.close()  # the next request opens a new connection
                    problem = f"{url}: {exc.__class__.__name__}"
                elapsed = time.perf_counter() - started
                if record:
                    with lock:
                        if problem:
                            errors.append(problem)
                        else:
                            latencies.append(elapsed)

            for _ in range(warmup):
                one(record=False)
            barrier.wait()
            for _ in range(requests):
                if time.perf_counter() > clock["stop"]:
                    break
                one(record=True)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    load_before = os.getloadavg()[0]
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - clock["start"]
    load_after = os.getloadavg()[0]
    ordered = sorted(latencies)

    def ms(seconds: float) -> float:
        return round(seconds * 1000, 1)

    return {
        "clients": clients,
        "requests_per_client": requests,
        "warmup_per_client": warmup,
        "time_bound_s": time_bound,
        "count": len(latencies),
        "errors": len(errors),
        "first_errors": errors[:5],
        "wall_seconds": round(wall, 2),
        "mean_ms": ms(statistics.fmean(ordered)) if ordered else None,
        "p50_ms": ms(percentile(ordered, 0.50)) if ordered else None,
        "p95_ms": ms(percentile(ordered, 0.95)) if ordered else None,
        "p99_ms": ms(percentile(ordered, 0.99)) if ordered else None,
        "max_ms": ms(ordered[-1]) if ordered else None,
        "requests_per_s": round(len(latencies) / wall, 1) if wall else None,
        # The 1-minute load average of the machine (this bench included) when the timed
        # phase starts and ends: other work on the machine shows here.
        "load_average": [round(load_before, 2), round(load_after, 2)],
    }


def load_at_rate(
    base: str,
    pick: Picker,
    rate: float,
    duration: float,
    pool: int = 32,
    seed: int = 2026,
) -> dict[str, Any]:
    """Open-loop load: requests arrive at ``rate`` per second on average (Poisson arrivals,
    for ``duration`` seconds) whatever the server's speed, as visitors do, and each latency is
    counted from the request's *scheduled* arrival, so time spent waiting for a free client
    counts too (no coordinated omission). ``pool`` threads with keep-alive connections send
    them; when all are busy, arrivals queue and their latency grows, as it would."""
    import http.client
    import queue
    from urllib.parse import urlsplit

    address = urlsplit(base)
    rng = random.Random(seed)
    schedule: list[tuple[float, str]] = []
    at = 0.0
    while at < duration:
        at += rng.expovariate(rate)
        schedule.append((at, pick(rng)))
    work: queue.Queue[tuple[float, str] | None] = queue.Queue()
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = time.perf_counter() + 0.2

    def client() -> None:
        connection = http.client.HTTPConnection(
            address.hostname or "127.0.0.1", address.port, timeout=30
        )
        with contextlib.closing(connection):
            while True:
                item = work.get()
                if item is None:
                    return
                offset, url = item
                due = start + offset
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                try:
                    try:
                        connection.request("GET", url)
                        response = connection.getresponse()
                    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                        connection.close()
                        connection.request("GET", url)
                        response = connection.getresponse()
                    response.read()
                    problem = "" if response.status == 200 else f"{url}: {response.status}"
                except (OSError, http.client.HTTPException) as exc:
                    connection.close()
                    problem = f"{url}: {exc.__class__.__name__}"
                elapsed = time.perf_counter() - due
                with lock:
                    if problem:
                        errors.append(problem)
                    else:
                        latencies.append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(pool)]
    for thread in threads:
        thread.start()
    load_before = os.getloadavg()[0]
    for item in schedule:
        work.put(item)
    for _ in threads:
        work.put(None)
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    load_after = os.getloadavg()[0]
    ordered = sorted(latencies)

    def ms(seconds: float) -> float:
        return round(seconds * 1000, 1)

    return {
        "mode": "open loop (fixed arrival rate, Poisson)",
        "rate_per_s": rate,
        "duration_s": duration,
        "pool": pool,
        "count": len(latencies),
        "errors": len(errors),
        "first_errors": errors[:5],
        "wall_seconds": round(wall, 2),
        "mean_ms": ms(statistics.fmean(ordered)) if ordered else None,
        "p50_ms": ms(percentile(ordered, 0.50)) if ordered else None,
        "p95_ms": ms(percentile(ordered, 0.95)) if ordered else None,
        "p99_ms": ms(percentile(ordered, 0.99)) if ordered else None,
        "max_ms": ms(ordered[-1]) if ordered else None,
        "requests_per_s": round(len(latencies) / wall, 1) if wall else None,
        "load_average": [round(load_before, 2), round(load_after, 2)],
    }
