"""Fault: PostgreSQL restarts while the public endpoints are under load.

    .venv/bin/python bench/faults/postgres_restart.py                 # a private cluster
    .venv/bin/python bench/faults/postgres_restart.py --cluster main  # the shared 15/main

Starts gunicorn (the bench settings, CONN_HEALTH_CHECKS on) on a fresh database, drives the
survey-response and public-statement endpoints with retrying clients (same key on every retry),
restarts PostgreSQL with `pg_ctlcluster --skip-systemctl-redirect 15 <cluster> restart` a few
seconds in, and keeps driving. PASS lines:

- clear errors: during the outage the server answers 5xx with the plain error page (no
  traceback, no SQL) or refuses the connection; nothing else;
- recovery: submissions are accepted again after the restart, with the same gunicorn processes;
- no partial writes: every survey response has all its answers, every statement its encrypted
  raw text; exactly one row per accepted key (0 lost, 0 doubled).

By default it creates (once) and uses a private cluster `15/peacekit_faults` on port 5439 so the
restart does not cut off other test runs on the shared cluster; `--cluster main` uses 5432.
Needs root (pg_ctlcluster) and PostgreSQL 15; prints SKIP otherwise.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402

PORTS = {"main": 5432}


def ensure_cluster(name: str, port: int) -> None:
    listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    if not any(line.split()[:2] == ["15", name] for line in listing.splitlines()):
        subprocess.run(
            ["pg_createcluster", "15", name, "-p", str(port), "--", "--auth=trust"],
            check=True, capture_output=True,
        )  # fmt: skip
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", "15", name, "start"], capture_output=True
    )


def restart(name: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", "15", name, "restart", "-m", "fast"],
        check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - start


def check_partial(fixtures: dict) -> dict:
    """Inside Django: rows that a half-finished write would leave behind."""
    import django

    django.setup()
    from django.db.models import Count

    from peacekit.listening.models import Statement, StatementRaw
    from peacekit.surveys.models import Response

    wave_id = fixtures["survey"]["wave_id"]
    # Every bench response sends the same answers, so every one must hold the same (non-zero)
    # number of answer rows; a response cut off half-way would hold fewer.
    per_response = list(
        Response.objects.filter(wave_id=wave_id)
        .annotate(n=Count("answers"))
        .values_list("n", flat=True)
    )
    expected = max(per_response, default=0)
    partial_responses = sum(1 for n in per_response if n != expected or n == 0)
    statements = Statement.objects.filter(
        initiative_id=fixtures["listening"]["initiative_id"], source="public"
    )
    without_raw = statements.exclude(
        pk__in=StatementRaw.objects.values_list("statement_id", flat=True)
    ).count()
    return {
        "answers_per_response": expected,
        "partial_responses": partial_responses,
        "statements_without_raw": without_raw,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cluster", default="peacekit_faults")
    parser.add_argument("--port", type=int, default=5439)
    parser.add_argument("--seconds", type=float, default=14.0)
    parser.add_argument("--restart-at", type=float, default=4.0)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if shutil.which("pg_ctlcluster") is None or os.geteuid() != 0:
        print("SKIP postgres restart: needs root and pg_ctlcluster (PostgreSQL 15)")
        return 0
    port = PORTS.get(args.cluster, args.port)
    ensure_cluster(args.cluster, port)
    admin_url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    import psycopg

    name = f"peacekit_fault_{os.getpid()}"
    for _ in range(30):
        try:
            with psycopg.connect(admin_url, autocommit=True) as c:
                c.execute(f'CREATE DATABASE "{name}"')
            break
        except psycopg.OperationalError:
            time.sleep(1)
    data_dir = Path(tempfile.mkdtemp(prefix="peacekit-fault-"))
    server = None
    try:
        env = load.django_env(data_dir, f"postgres://postgres@127.0.0.1:{port}/{name}")
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
            env=env, cwd=ROOT, check=True, timeout=600,
        )  # fmt: skip
        fixtures = load.in_django(env, "setup", {"raters": 1})
        http_port = load.free_port()
        server = load.start_server(env, http_port, 2, 4)
        pids_before = sorted(p.pid for p in _children(server.pid))
        plan = load.endpoints(fixtures)
        restarted: dict = {}

        def do_restart() -> None:
            time.sleep(args.restart_at)
            restarted["at"] = time.perf_counter()
            restarted["took"] = restart(args.cluster)
            restarted["done"] = time.perf_counter()

        statuses: list[tuple[float, str, int | str, bytes]] = []
        lock = threading.Lock()

        threading.Thread(target=do_restart, daemon=True).start()
        results = {}
        threads = []
        for endpoint in ("survey", "statement"):
            make, per_address, accept = plan[endpoint]

            def run(endpoint=endpoint, make=make, per_address=per_address, accept=accept):
                results[endpoint] = _drive(
                    http_port, args.threads, args.seconds, make, per_address, accept,
                    statuses, lock, endpoint,
                )  # fmt: skip

            threads.append(threading.Thread(target=run))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        health = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
        health.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
        healthy = health.getresponse().status == 200
        pids_after = sorted(p.pid for p in _children(server.pid))
        server.terminate()
        server.wait(timeout=30)
        server = None

        accepted = {k: v["accepted"] for k, v in results.items()}
        counts = load.in_django(env, "verify", {"accepted": accepted, "fixtures": fixtures})
        partial = _in_django_partial(env, fixtures)

        outage = [s for s in statuses if s[2] != 302]
        bad_bodies = [s for s in outage if isinstance(s[2], int) and _leaks(s[3])]
        unexpected = [s for s in outage if isinstance(s[2], int) and s[2] < 500 and s[2] != 429]
        after = [s for s in statuses if s[0] > restarted.get("done", 1e18) and s[2] == 302]
        print(
            f"restart took {restarted.get('took', float('nan')):.1f} s; requests {len(statuses)}, "
            f"errors during the outage {len(outage)} "
            f"({sorted({str(s[2]) for s in outage})}), accepted after restart {len(after)}"
        )
        ok = True
        line = not bad_bodies and not unexpected
        ok &= line
        print(f"{'PASS' if line else 'FAIL'} clear errors: {len(bad_bodies)} error pages leaked "
              f"details, {len(unexpected)} unexpected statuses")  # fmt: skip
        line = bool(after) and healthy and pids_before == pids_after and "done" in restarted
        ok &= line
        print(f"{'PASS' if line else 'FAIL'} recovery without restarting peacekit: "
              f"{len(after)} accepted after the restart, /healthz {'200' if healthy else 'down'}, "
              f"same gunicorn workers {pids_before == pids_after}")  # fmt: skip
        line = all(c["lost"] == 0 and c["doubled"] == 0 for c in counts.values())
        line &= partial["partial_responses"] == 0 and partial["statements_without_raw"] == 0
        ok &= line
        print(f"{'PASS' if line else 'FAIL'} no partial writes: {counts} {partial}")
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        try:
            with psycopg.connect(admin_url, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except psycopg.Error:
            pass
        shutil.rmtree(data_dir, ignore_errors=True)


def _children(pid: int):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)

    class P:
        def __init__(self, pid):
            self.pid = pid

    return [P(int(x)) for x in out.stdout.split()]


def _leaks(body: bytes) -> bool:
    lowered = body.lower()
    return any(
        word in lowered for word in (b"traceback", b"operationalerror", b"psycopg", b"select ")
    )


def _drive(port, threads, seconds, make, per_address, accept, statuses, lock, endpoint):
    """Like bench.load.drive, but records every answer with its time and body."""
    accepted: list[str] = []
    deadline = time.perf_counter() + seconds
    counter = iter(range(10**9))
    counter_lock = threading.Lock()

    def worker(t: int) -> None:
        client = load.Client(port, t + (0 if endpoint == "survey" else 100), per_address)
        while time.perf_counter() < deadline:
            with counter_lock:
                n = next(counter)
            key, path, body, cookies = make(n)
            for attempt in range(60):
                try:
                    status, _elapsed, content = _post(client, path, body, cookies)
                except (OSError, http.client.HTTPException) as error:
                    with lock:
                        statuses.append((time.perf_counter(), endpoint, type(error).__name__, b""))
                    client.conn = None
                    time.sleep(0.2)
                    continue
                with lock:
                    statuses.append((time.perf_counter(), endpoint, status, content))
                if status >= 500:
                    time.sleep(0.2)
                    continue
                if accept(status, attempt):
                    with lock:
                        accepted.append(key)
                break

    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    return {"accepted": accepted}


def _post(client, path, body, cookies):
    """bench.load.Client.post, keeping the body of the answer."""
    import urllib.parse

    if client.per_address and client.sent and client.sent % client.per_address == 0:
        client.address_n += 1
        client.connect()
    if client.conn is None:
        client.connect()
    client.sent += 1
    data = urllib.parse.urlencode({**body, "csrfmiddlewaretoken": load.CSRF})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={load.CSRF}" + (f"; {cookies}" if cookies else ""),
        "Host": "127.0.0.1",
    }
    start = time.perf_counter()
    client.conn.request("POST", path, data, headers)
    response = client.conn.getresponse()
    content = response.read()
    return response.status, time.perf_counter() - start, content


def _in_django_partial(env: dict, fixtures: dict) -> dict:
    import json

    out = subprocess.run(
        [sys.executable, __file__, "--_partial", json.dumps(fixtures)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--_partial":
        import json

        print(json.dumps(check_partial(json.loads(sys.argv[2]))))
        raise SystemExit(0)
    raise SystemExit(main())
