"""Load on the public submission endpoints against a bare Django insert, in the same run.

    .venv/bin/python bench/load.py                       # SQLite file database
    .venv/bin/python bench/load.py --database postgres   # fresh PostgreSQL database on 127.0.0.1

Bounded and loopback only; it stops by itself. It makes a temporary PEACEKIT_DATA_DIR, runs
`peacekit migrate`, makes a little fixture data through the services (an initiative with
published statements, a survey wave, a 360 cycle with one invited rater per planned answer),
starts `gunicorn` on 127.0.0.1 with the bench URLconf (`bench/load_urls.py`: all of peacekit
plus `/bench/bare-insert/`), then drives each endpoint with N client threads (http.client,
keep-alive). Every request carries its own submission key (listening statement and survey
response: `submission_key`; vote: the participant cookie; 360 answer: the rater token); on a
timeout, a connection error or a 5xx the client retries the SAME key. It prints throughput and
p50/p99 per endpoint next to the bare insert, then counts the rows: exactly one per accepted
submission (0 lost, 0 doubled).

Rate limits. The listening public page counts statements per client address (10 an hour), so
each client thread sends from its own loopback address (127.x.y.z, all routed to `lo`) and moves
to a fresh one before the limit; nothing trusts X-Forwarded-For. Limits built on
`peacekit.core.ratelimit` are scaled by `PEACEKIT_RATE_LIMIT_SCALE` (set here to 1000).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GOAL_SHARE, GOAL_P99_MS = 0.60, 50.0


# ----------------------------------------------------------------------------- fixture data
def setup_fixtures(plan: dict) -> dict:
    """Inside Django: make the data every endpoint needs; returns tokens and form fields."""
    import django

    django.setup()
    from datetime import timedelta

    from django.utils import timezone

    from peacekit.core.models import Membership
    from peacekit.core.services import hash_token, membership_set, organization_create, user_create

    org = organization_create(actor=None, name="Bench Police Department", kind="police")
    admin = user_create(email="bench-admin@example.org", full_name="Bench Admin")
    membership_set(actor=None, organization=org, user=admin, role=Membership.Role.AGENCY_ADMIN)
    out: dict = {"skipped": {}}

    try:
        from peacekit.listening import services as listening
        from peacekit.listening.models import Initiative

        initiative = listening.initiative_create(
            actor=admin, organization=org, name="Bench initiative", jurisdiction="Bench City"
        )
        Initiative.objects.filter(pk=initiative.pk).update(status=Initiative.Status.ACTIVE)
        published = []
        for i in range(5):
            s = listening.statement_submit(
                actor=None, initiative=initiative, text=f"Patrols should walk more, idea {i}.",
                source="facilitator", submission_key=listening.new_submission_key(),
            )  # fmt: skip
            published.append(s)
        listening.statement_publish_as_proposed(actor=None, statements=published)
        initiative.refresh_from_db()
        out["listening"] = {
            "token": initiative.public_token,
            "initiative_id": initiative.pk,
            "statement_ids": [s.pk for s in published],
        }
    except ImportError as error:
        out["skipped"]["statement"] = out["skipped"]["vote"] = f"listening missing ({error})"

    try:
        from peacekit.surveys import services as surveys
        from peacekit.surveys.models import Instrument

        surveys.surveys_library_install()
        survey = surveys.survey_create(
            actor=admin, organization=org, title="Bench survey",
            target_type="listening_session", target_label="Bench session",
            instruments=Instrument.objects.filter(organization=None, key__in=["trust-safety"]),
        )  # fmt: skip
        wave = survey.waves.get(kind="pre")
        from peacekit.surveys.forms import ResponseForm

        form = ResponseForm(questions=surveys.survey_questions(survey, wave_kind="pre"))
        answers = {}
        for name, form_field in form.fields.items():
            choices = [c for c, _label in getattr(form_field, "choices", []) if c != ""]
            if name.startswith("q") and choices:
                answers[name] = str(choices[len(choices) // 2])
        out["survey"] = {"token": wave.token, "wave_id": wave.pk, "answers": answers}
    except ImportError as error:
        out["skipped"]["survey"] = f"surveys missing ({error})"

    try:
        from peacekit.evaluations import services as evaluations
        from peacekit.evaluations.models import Rater

        cycle = evaluations.cycle_create(
            actor=admin, organization=org, name="Bench cycle", rank_target="Sergeant"
        )
        candidate = evaluations.candidate_add(
            actor=admin, cycle=cycle, name="Bench Candidate", email="cand@example.org"
        )
        for i in range(plan["raters"]):
            evaluations.rater_add(
                actor=admin, candidate=candidate, group="peer", name=f"Peer {i}",
                email=f"peer{i}@example.org",
            )  # fmt: skip
        evaluations.cycle_open(actor=admin, cycle=cycle)
        tokens = []
        for rater in Rater.objects.filter(cycle=cycle, status=Rater.Status.APPROVED):
            raw = secrets.token_urlsafe(32)
            rater.token_hash = hash_token(raw)
            rater.status = Rater.Status.INVITED
            rater.invited_at = timezone.now()
            rater.expires_at = timezone.now() + timedelta(days=7)
            rater.save()
            tokens.append(raw)
        items = evaluations.items_for(cycle)
        out["rate"] = {
            "cycle_id": cycle.pk,
            "tokens": tokens,
            "answers": {f"item_{item.pk}": "4" for item in items},
        }
    except ImportError as error:
        out["skipped"]["rate"] = f"evaluations missing ({error})"
    return out


def verify(accepted: dict, fixtures: dict) -> dict:
    """Inside Django: rows per accepted key — lost (0 rows) and doubled (more than 1)."""
    import django

    django.setup()
    from django.db.models import Count

    from peacekit.core.models import AuditEvent

    result = {}

    def tally(keys: list[str], counts: dict[str, int], total: int) -> dict:
        lost = sum(1 for k in keys if counts.get(k, 0) == 0)
        doubled = sum(1 for k in keys if counts.get(k, 0) > 1)
        return {"accepted": len(keys), "rows": total, "lost": lost, "doubled": doubled}

    rows = AuditEvent.objects.filter(action="bench.bare_insert")
    counts = dict(rows.values_list("object_id").annotate(n=Count("id")))
    result["bare insert"] = tally(accepted.get("bare insert", []), counts, rows.count())
    if "statement" in accepted:
        from peacekit.listening.models import Statement

        rows = Statement.objects.filter(
            initiative_id=fixtures["listening"]["initiative_id"], source="public"
        )
        counts = dict(rows.values_list("submission_key").annotate(n=Count("id")))
        result["statement"] = tally(accepted["statement"], counts, rows.count())
    if "vote" in accepted:
        from peacekit.listening.models import Vote
        from peacekit.listening.services import hash_participant

        rows = Vote.objects.filter(statement_id__in=fixtures["listening"]["statement_ids"])
        counts = {}
        for h, n in rows.values_list("participant_hash").annotate(n=Count("id")):
            counts[h] = n
        keys = [hash_participant(k.split("|")[0]) for k in accepted["vote"]]
        result["vote"] = tally(keys, counts, rows.count())
    if "survey" in accepted:
        from peacekit.surveys.models import Response

        rows = Response.objects.filter(wave_id=fixtures["survey"]["wave_id"])
        counts = dict(rows.values_list("submission_key").annotate(n=Count("id")))
        result["survey"] = tally(accepted["survey"], counts, rows.count())
    if "rate" in accepted:
        from peacekit.core.services import hash_token
        from peacekit.evaluations.models import Rater, RatingResponse

        done = dict(
            Rater.objects.filter(cycle_id=fixtures["rate"]["cycle_id"], status="completed")
            .values_list("token_hash")
            .annotate(n=Count("id"))
        )
        keys = [hash_token(k) for k in accepted["rate"]]
        total = RatingResponse.objects.filter(cycle_id=fixtures["rate"]["cycle_id"]).count()
        r = tally(keys, done, total)
        r["doubled"] += max(0, total - len(keys))  # responses are anonymous: compare the totals
        r["lost"] += max(0, len(keys) - total)
        result["rate"] = r
    return result


# ----------------------------------------------------------------------------- HTTP driver
@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    refused: dict[int, int] = field(default_factory=dict)
    retries: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


CSRF = "b" * 32  # an unmasked CSRF secret: the cookie and the form field carry the same value


class Client:
    """One keep-alive connection from one loopback address; reconnects on a new address."""

    def __init__(self, port: int, thread: int, per_address: int | None):
        self.port, self.thread, self.per_address = port, thread, per_address
        self.address_n, self.sent, self.conn = 0, 0, None

    def _source(self) -> str:
        n = self.address_n
        return f"127.{1 + self.thread}.{(n // 250) % 250 + 1}.{n % 250 + 1}"

    def connect(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=10, source_address=(self._source(), 0)
        )

    def post(self, path: str, body: dict, cookies: str = "") -> tuple[int, float]:
        if self.per_address and self.sent and self.sent % self.per_address == 0:
            self.address_n += 1
            self.connect()
        if self.conn is None:
            self.connect()
        self.sent += 1
        data = urllib.parse.urlencode({**body, "csrfmiddlewaretoken": CSRF})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={CSRF}" + (f"; {cookies}" if cookies else ""),
            "Host": "127.0.0.1",
        }
        start = time.perf_counter()
        self.conn.request("POST", path, data, headers)
        response = self.conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - start
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, elapsed


def drive(
    name: str, port: int, threads: int, seconds: float, make, per_address, accept, start: int = 0
) -> Stats:
    """Run `threads` clients for `seconds` (or until `make` runs dry); retry the same key.

    Submission numbers start at `start`, so several rounds of one endpoint never reuse a key.
    """
    stats = Stats()
    deadline = time.perf_counter() + seconds
    counter = iter(range(start, 10**9))
    counter_lock = threading.Lock()

    def worker(t: int) -> None:
        client = Client(port, t, per_address)
        while time.perf_counter() < deadline:
            with counter_lock:
                n = next(counter)
            job = make(n)
            if job is None:
                return
            key, path, body, cookies = job
            for attempt in range(6):
                try:
                    status, elapsed = client.post(path, body, cookies)
                except (OSError, http.client.HTTPException) as error:
                    with stats.lock:
                        stats.errors[type(error).__name__] = (
                            stats.errors.get(type(error).__name__, 0) + 1
                        )
                        stats.retries += 1
                    client.conn = None
                    time.sleep(0.05 * (attempt + 1))
                    continue
                with stats.lock:
                    stats.latencies.append(elapsed)
                if status >= 500:
                    with stats.lock:
                        stats.retries += 1
                        stats.errors[f"HTTP {status}"] = stats.errors.get(f"HTTP {status}", 0) + 1
                    time.sleep(0.05 * (attempt + 1))
                    continue
                if accept(status, attempt):
                    with stats.lock:
                        stats.accepted.append(key)
                else:
                    with stats.lock:
                        stats.refused[status] = stats.refused.get(status, 0) + 1
                break

    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    started = time.perf_counter()
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    stats.elapsed = time.perf_counter() - started  # type: ignore[attr-defined]
    stats.next_n = next(counter)  # type: ignore[attr-defined]
    return stats


# ----------------------------------------------------------------------------- orchestration
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def django_env(data_dir: Path, database_url: str | None) -> dict:
    from cryptography.fernet import Fernet

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
        "PEACEKIT_DATA_DIR": str(data_dir),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "PEACEKIT_FIELD_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PEACEKIT_INSECURE_HTTP": "1",
        "PEACEKIT_RATE_LIMIT_SCALE": "1000",
        "PEACEKIT_LOG_LEVEL": "ERROR",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("PEACEKIT_DEBUG", None)
    env.pop("PEACEKIT_TESTING", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def in_django(env: dict, mode: str, payload: dict) -> dict:
    """Run setup_fixtures or verify in a child process with the server's settings."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(payload, handle)
    try:
        out = subprocess.run(
            [PYTHON, __file__, f"--_{mode}", handle.name], env=env, cwd=ROOT,
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    finally:
        os.unlink(handle.name)
    if out.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def create_postgres_database() -> tuple[str, str]:
    import psycopg

    name = f"peacekit_bench_{os.getpid()}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgres://postgres@127.0.0.1:5432/{name}"


def drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_server(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "peacekit.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
         "--keep-alive", "30", "--graceful-timeout", "5", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
        if server.poll() is not None:
            raise SystemExit("gunicorn exited at start")
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz in 90 s")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] * 1000


def endpoints(fixtures: dict) -> dict:
    """name → (make(n) -> (key, path, body, cookies) | None, per_address, accept(status, try))."""
    out = {}
    run_id = secrets.token_hex(4)
    out["bare insert"] = (
        lambda n: (f"{run_id}-{n}", "/bench/bare-insert/", {"key": f"{run_id}-{n}"}, ""),
        None,
        lambda status, attempt: status == 201,
    )
    if "listening" in fixtures:
        token = fixtures["listening"]["token"]
        statement_ids = fixtures["listening"]["statement_ids"]
        page = f"/listening/p/{token}/"

        def statement(n: int):
            key = f"{run_id}s{n:023d}"
            body = {"action": "statement", "submission_key": key, "consent": "on", "lang": "en",
                    "text": f"More foot patrols on our block, please ({n})."}  # fmt: skip
            return key, page, body, ""

        def vote(n: int):
            participant = f"{run_id}v{n:015d}"
            sid = statement_ids[n % len(statement_ids)]
            body = {"statement": str(sid), "value": str(random.choice([-1, 0, 1])),
                    "next": page}  # fmt: skip
            return f"{participant}|{sid}", f"{page}vote/", body, f"pk_listening={participant}"

        # 10 statements an hour per address: move on after 9, retries included.
        out["statement"] = (statement, 9, lambda status, attempt: status == 302)
        out["vote"] = (vote, 250, lambda status, attempt: status == 302)
    if "survey" in fixtures:
        survey_path = f"/surveys/r/{fixtures['survey']['token']}/"
        survey_answers = fixtures["survey"]["answers"]

        def survey(n: int):
            key = f"{run_id}r{n:023d}"
            return key, survey_path, {"submission_key": key, "lang": "en", **survey_answers}, ""

        out["survey"] = (survey, 90, lambda status, attempt: status == 302)
    if "rate" in fixtures:
        tokens = fixtures["rate"]["tokens"]
        rate_answers = fixtures["rate"]["answers"]

        def rate(n: int):
            if n >= len(tokens):
                return None
            body = {**rate_answers, "strengths": "Listens well.", "develop": "Delegate more."}
            return tokens[n], f"/evaluations/rate/{tokens[n]}/", body, ""

        # 302 = to the thanks page; 410 on a retry = the first try was saved (already answered).
        def rate_accepted(status: int, attempt: int) -> bool:
            return status == 302 or (status == 410 and attempt > 0)

        out["rate"] = (rate, None, rate_accepted)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--threads", type=int, default=8, help="client connections")
    parser.add_argument("--seconds", type=float, default=6.0, help="per endpoint, all rounds")
    parser.add_argument(
        "--rounds", type=int, default=3,
        help="interleave: each round runs the bare insert, then every endpoint, so drift in "
        "the machine's load falls on both sides",
    )  # fmt: skip
    parser.add_argument("--server-workers", type=int, default=2)
    parser.add_argument("--server-threads", type=int, default=4)
    parser.add_argument("--raters", type=int, default=300, help="360 answers available")
    parser.add_argument("--only", default="", help="comma-separated endpoint names")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="peacekit-load-"))
    pg_name, database_url = (None, None)
    server = None
    try:
        if args.database == "postgres":
            pg_name, database_url = create_postgres_database()
        env = django_env(data_dir, database_url)
        subprocess.run(
            [PYTHON, "-m", "django", "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT,
            check=True, timeout=600,
        )  # fmt: skip
        fixtures = in_django(env, "setup", {"raters": args.raters})
        for name, reason in fixtures["skipped"].items():
            print(f"skip {name}: {reason}")
        port = free_port()
        server = start_server(env, port, args.server_workers, args.server_threads)
        plan = endpoints(fixtures)
        wanted = [n for n in args.only.split(",") if n] or list(plan)
        print(
            f"database={args.database} clients={args.threads} gunicorn gthread "
            f"{args.server_workers}x{args.server_threads} seconds/endpoint={args.seconds} "
            f"rounds={args.rounds} "
            f"cpus={os.cpu_count()} load={os.getloadavg()[0]:.1f}"
        )
        print(f"{'endpoint':<12} {'accepted':>8} {'req/s':>8} {'share':>6} {'p50 ms':>7} "
              f"{'p99 ms':>7} {'retries':>7}  refused/errors")  # fmt: skip
        results, accepted = {}, {}
        bare_rate = None
        order = ["bare insert", *[n for n in wanted if n != "bare insert"]]
        order = [n for n in order if n in plan]
        totals = {name: Stats() for name in order}
        next_n = dict.fromkeys(order, 0)
        rounds = max(1, args.rounds)
        for _round in range(rounds):
            for name in order:
                make, per_address, accept = plan[name]
                part = drive(
                    name, port, args.threads, args.seconds / rounds, make, per_address, accept,
                    start=next_n[name],
                )  # fmt: skip
                next_n[name] = part.next_n
                total = totals[name]
                total.latencies += part.latencies
                total.accepted += part.accepted
                total.retries += part.retries
                for k, v in part.refused.items():
                    total.refused[k] = total.refused.get(k, 0) + v
                for k, v in part.errors.items():
                    total.errors[k] = total.errors.get(k, 0) + v
                total.elapsed = getattr(total, "elapsed", 0.0) + part.elapsed
        for name in order:
            stats = totals[name]
            rate = len(stats.accepted) / stats.elapsed if stats.elapsed else 0.0
            if name == "bare insert":
                bare_rate = rate
            share = rate / bare_rate if bare_rate else float("nan")
            p50, p99 = percentile(stats.latencies, 0.50), percentile(stats.latencies, 0.99)
            results[name] = {"rate": rate, "share": share, "p50": p50, "p99": p99}
            accepted[name] = stats.accepted
            print(
                f"{name:<12} {len(stats.accepted):>8} {rate:>8.1f} {share:>6.0%} {p50:>7.1f} "
                f"{p99:>7.1f} {stats.retries:>7}  {stats.refused or ''} {stats.errors or ''}"
            )
        server.terminate()
        server.wait(timeout=30)
        server = None
        counts = in_django(env, "verify", {"accepted": accepted, "fixtures": fixtures})
        ok = True
        for name, c in counts.items():
            fine = c["lost"] == 0 and c["doubled"] == 0
            ok &= fine
            print(f"{'PASS' if fine else 'FAIL'} rows {name}: accepted {c['accepted']}, rows "
                  f"{c['rows']}, lost {c['lost']}, doubled {c['doubled']}")  # fmt: skip
        for name, r in results.items():
            if name == "bare insert":
                continue
            goal = r["share"] >= GOAL_SHARE and r["p99"] <= GOAL_P99_MS
            print(
                f"{'PASS' if goal else 'MISS'} goal {name}: {r['share']:.0%} of bare insert "
                f"(goal >= {GOAL_SHARE:.0%}), p99 {r['p99']:.1f} ms (goal <= {GOAL_P99_MS:.0f})"
            )
        print("PASS integrity" if ok else "FAIL integrity")
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if pg_name:
            drop_postgres_database(pg_name)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] in ("--_setup", "--_verify"):
        payload = json.loads(Path(sys.argv[2]).read_text())
        if sys.argv[1] == "--_setup":
            result = setup_fixtures(payload)
        else:
            result = verify(payload["accepted"], payload["fixtures"])
        print(json.dumps(result))
        raise SystemExit(0)
    raise SystemExit(main())
