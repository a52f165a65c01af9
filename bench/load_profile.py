"""CPU cost of each public submission endpoint in one process, next to the bare insert.

Companion to bench/load.py (same fixtures, same settings, same request bodies), without a
server or client threads: each endpoint is posted N times through Django's test client and
the median CPU time per request and the number of SQL queries are printed. It explains the
load figures (throughput under load follows CPU per request on a 2-core machine) and shows
where a change helps, even while other jobs share the machine.

    .venv/bin/python bench/load_profile.py [--n 200] [--profile statement]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="posts per endpoint")
    parser.add_argument("--profile", default="", help="print a cProfile of this endpoint")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "src"), str(ROOT / "bench")]
    import load

    os.environ.update(load.django_env(Path(tempfile.mkdtemp(prefix="peacekit-prof-")), None))
    os.environ["ALLOWED_HOSTS"] += ",testserver"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    fixtures = load.setup_fixtures({"raters": args.n + 10})
    print(f"{'endpoint':<12} {'cpu ms/request':>15} {'x bare':>7} {'queries':>8}")
    bare = None
    for name, (make, per_address, accept) in load.endpoints(fixtures).items():
        client = Client()
        times, queries, address = [], [], 0
        profiler = cProfile.Profile() if name == args.profile else None
        for n in range(args.n + 5):
            job = make(n)
            if job is None:
                break
            _key, path, body, cookies = job
            if per_address and n % per_address == 0:
                address += 1
            client.defaults["REMOTE_ADDR"] = f"127.{address % 250}.{address // 250}.7"
            if cookies:
                cookie, value = cookies.split("=", 1)
                client.cookies[cookie] = value
            started = time.process_time()
            with CaptureQueriesContext(connection) as captured:
                if profiler and n >= 5:
                    profiler.enable()
                # Form-encoded, as browsers and bench/load.py send it (the test client's
                # default multipart encoding costs more to parse).
                response = client.post(
                    path, urllib.parse.urlencode(body),
                    content_type="application/x-www-form-urlencoded",
                )  # fmt: skip
                if profiler and n >= 5:
                    profiler.disable()
            if n >= 5:  # the first posts warm caches
                times.append(time.process_time() - started)
                queries.append(len(captured))
            if not accept(response.status_code, 0):
                raise SystemExit(f"{name}: HTTP {response.status_code}")
        cost = statistics.median(times) * 1000
        bare = bare or cost
        print(f"{name:<12} {cost:>15.2f} {cost / bare:>7.1f} {statistics.mean(queries):>8.1f}")
        if profiler:
            pstats.Stats(profiler).sort_stats(
                os.environ.get("PROFILE_SORT", "cumulative")
            ).print_stats(int(os.environ.get("PROFILE_LINES", "40")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
