"""Ballot submission under load: 200 voters voting at once on the Riverside demo, on PostgreSQL.

Builds the demo in a fresh PostgreSQL database, signs in 200 new voters (checked at a venue),
serves the app with gunicorn as `powershift serve` does, and has every voter open the ballot
and cast a vote through the real form (session cookie, CSRF token, server-side checks, row lock,
secret ballot). Two load shapes are measured:

* `voters`: 200 people on the site at once: each opens the ballot at a random moment in the
  first 10 s, reads it for 5 to 20 s, then submits (all 200 are mid-vote together);
* `burst`: all 200 open the ballot and submit in the same instant, with no reading time (the
  worst case: every request queues behind the others on 2 cores).

Target (issue 3): submission p95 under 50 ms at 200 concurrent voters. Prints a table.
Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pb_vote_load.py
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ROUND = "riverside-community-budget-2026"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(voters: int) -> list[str]:
    """Build the demo and return one signed-in session key per new voter."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection

    from powershift.budgets import actions
    from powershift.budgets.models import Round
    from powershift.core.models import User
    from powershift.demo.riverside import build

    call_command("migrate", verbosity=0)
    build()
    r = Round.objects.get(slug=ROUND)
    keys = []
    for i in range(voters):
        user = User.objects.create_user(f"load{i}@example.org", None, full_name=f"Load {i}")
        actions.check_at_venue(None, r, user, age_confirmed=True)  # type: ignore[arg-type]
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    connection.close()
    return keys


def count() -> tuple[int, int]:
    """Ballots in the round, and voters marked as having voted."""
    import django

    django.setup()
    from powershift.budgets.models import Ballot, Voter

    return (Ballot.objects.filter(round__slug=ROUND).count(),
            Voter.objects.filter(round__slug=ROUND, has_voted=True).count())


def vote(base: str, session: str, arrive: float, think: float, rng: random.Random) -> dict[str, Any]:
    time.sleep(arrive)
    cookie = f"sessionid={session}"
    t0 = time.perf_counter()
    request = urllib.request.Request(f"{base}/budgets/{ROUND}/vote/", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=60) as response:
        page = response.read().decode()
        csrf = next(c.split("=", 1)[1].split(";")[0] for c in response.headers.get_all("Set-Cookie")
                    if c.startswith("csrftoken="))
    get_ms = (time.perf_counter() - t0) * 1000
    token = TOKEN.search(page)
    assert token, "no CSRF token on the ballot page"
    time.sleep(think)
    choices = rng.sample(range(1, 26), 3)
    costs = dict(re.findall(r'id="id_p(\d+)"[^>]*data-cost="(\d+)"', page))
    body = "&".join([f"csrfmiddlewaretoken={token.group(1)}"]
                    + [f"p{n}=on" for n in choices if int(costs[str(n)]) < 80_000])
    request = urllib.request.Request(
        f"{base}/budgets/{ROUND}/vote/", data=body.encode(), method="POST",
        headers={"Cookie": f"{cookie}; csrftoken={csrf}", "Referer": f"{base}/budgets/{ROUND}/vote/",
                 "Content-Type": "application/x-www-form-urlencoded"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        done = "Your vote is cast" in response.read().decode()
    return {"get_ms": get_ms, "post_ms": (time.perf_counter() - t0) * 1000, "cast": done}


def run_load(base: str, sessions: list[str], people: bool, seed: int) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = [{} for _ in sessions]
    start = threading.Event()

    def one(i: int) -> None:
        rng = random.Random(seed + i)
        start.wait()
        arrive, think = (rng.uniform(0, 10), rng.uniform(5, 20)) if people else (0.0, 0.0)
        results[i] = vote(base, sessions[i], arrive, think, rng)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(sessions))]
    for t in threads:
        t.start()
    start.set()
    for t in threads:
        t.join()
    return results


def pct(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] if len(samples) > 1 else samples[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)  # in a child process
    parser.add_argument("--count", action="store_true", help=argparse.SUPPRESS)  # likewise
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(prepare(args.prepare)))
        return 0
    if args.count:
        print(*count())
        return 0
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not url.startswith("postgres"):
        parser.error("this benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    from tests.pgtemp import fresh_database

    rows = []
    for shape, people in (("voters", True), ("burst", False)):
        data_dir = tempfile.mkdtemp(prefix="powershift-load-")
        with fresh_database(url, "powershift_load") as db_url:
            env = {**os.environ, "DATABASE_URL": db_url, "POWERSHIFT_DATA_DIR": data_dir,
                   "DJANGO_SETTINGS_MODULE": "powershift.settings"}
            os.environ.update(env)
            # Django is set up in child processes, each with this run's database.
            prepared = subprocess.run([sys.executable, __file__, "--prepare", str(args.voters)],
                                      env=env, check=True, capture_output=True, text=True)
            sessions = json.loads(prepared.stdout.strip().splitlines()[-1])
            port = _free_port()
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "powershift.wsgi:application", "--bind",
                 f"127.0.0.1:{port}", "--workers", str(args.workers), "--log-level", "warning",
                 "--backlog", "2048"], env=env)
            base = f"http://127.0.0.1:{port}"
            try:
                for _ in range(200):
                    try:
                        urllib.request.urlopen(base + "/", timeout=2)
                        break
                    except OSError:
                        time.sleep(0.2)
                # Warm each worker (imports, connections) before measuring.
                for _ in range(args.workers * 3):
                    urllib.request.urlopen(f"{base}/budgets/{ROUND}/", timeout=10)
                t0 = time.perf_counter()
                results = run_load(base, sessions, people, seed=2026)
                wall = time.perf_counter() - t0
            finally:
                server.terminate()
                server.wait(timeout=10)
            counted = subprocess.run([sys.executable, __file__, "--count"], env=env, check=True,
                                     capture_output=True, text=True).stdout.split()
        posts = [r["post_ms"] for r in results]
        gets = [r["get_ms"] for r in results]
        rows.append((shape, len(results), sum(r["cast"] for r in results), counted, wall,
                     statistics.median(gets), pct(gets, 95), statistics.median(posts),
                     pct(posts, 95), pct(posts, 99), max(posts)))

    print(f"\nBallot submission, {args.voters} voters at once, gunicorn --workers {args.workers}, "
          f"PostgreSQL, {os.cpu_count()} cores\n")
    print("| load | voters | votes cast | ballots / voters marked in the database (demo has 2,000) | "
          "wall | ballot page p50 / p95 | submit p50 | submit p95 (target < 50 ms) | submit p99 | submit max |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for shape, n, cast, counted, wall, g50, g95, p50, p95, p99, pmax in rows:
        print(f"| {shape} | {n} | {cast} | {counted[0]} / {counted[1]} | {wall:.1f} s | "
              f"{g50:.0f} / {g95:.0f} ms | {p50:.0f} ms | {p95:.0f} ms | {p99:.0f} ms | {pmax:.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
