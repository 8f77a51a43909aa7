"""Shared machinery for the vote-submission load tests: a fresh PostgreSQL database with the
Riverside demo, gunicorn serving it as `powershift serve` does, and many voters at once.

A benchmark module gives `prepare(n)` (run in a child process with Django set up; returns one
cookie header per voter), `count()` (what the database holds afterwards) and
`vote(base, cookie, rng) -> (page_ms, submit_ms, ok)`, then calls `main(module, description)`.
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
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def session_cookie(user: Any) -> str:
    """A signed-in session for `user`, made directly (no password hashing for 200 people)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


def build_demo() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from powershift.demo.riverside import build

    call_command("migrate", verbosity=0)
    build()


def get(url: str, cookie: str) -> tuple[str, str, float]:
    """GET a page with a form: (html, csrftoken cookie value, milliseconds)."""
    t0 = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}), timeout=60) as r:
        html = r.read().decode()
        csrf = next((c.split("=", 1)[1].split(";")[0] for c in r.headers.get_all("Set-Cookie") or []
                     if c.startswith("csrftoken=")), "")
    return html, csrf, (time.perf_counter() - t0) * 1000


def post(url: str, cookie: str, csrf: str, html: str, fields: list[tuple[str, str]],
         extra_headers: dict[str, str] | None = None) -> tuple[str, float]:
    token = TOKEN.search(html)
    assert token, f"no CSRF token on {url}"
    body = "&".join(f"{k}={v}" for k, v in [("csrfmiddlewaretoken", token.group(1)), *fields])
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Cookie": f"{cookie}; csrftoken={csrf}", "Referer": url,
        "Content-Type": "application/x-www-form-urlencoded", **(extra_headers or {})})
    t0 = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as r:
        text = r.read().decode()
    return text, (time.perf_counter() - t0) * 1000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] if len(samples) > 1 else samples[0]


def _load(base: str, cookies: list[str], people: bool, vote: Callable[..., tuple[float, float, bool]],
          seed: int) -> list[tuple[float, float, bool]]:
    results: list[tuple[float, float, bool]] = [(0.0, 0.0, False)] * len(cookies)
    start = threading.Event()

    def one(i: int) -> None:
        rng = random.Random(seed + i)
        start.wait()
        if people:  # arrive in the first 10 s
            time.sleep(rng.uniform(0, 10))
        results[i] = vote(base, cookies[i], rng, people)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(cookies))]
    for t in threads:
        t.start()
    start.set()
    for t in threads:
        t.join()
    return results


def main(module: ModuleType, title: str, warm_path: str) -> int:
    parser = argparse.ArgumentParser(description=title)
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)  # in a child process
    parser.add_argument("--count", action="store_true", help=argparse.SUPPRESS)  # likewise
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(module.prepare(args.prepare)))
        return 0
    if args.count:
        print(json.dumps(module.count()))
        return 0
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not url.startswith("postgres"):
        parser.error("this benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    sys.path.insert(0, str(ROOT))
    from tests.pgtemp import fresh_database

    rows = []
    for shape, people in (("voters", True), ("burst", False)):
        with fresh_database(url, "powershift_load") as db_url:
            env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "powershift.settings",
                   "POWERSHIFT_DATA_DIR": tempfile.mkdtemp(prefix="powershift-load-")}
            script = module.__file__
            prepared = subprocess.run([sys.executable, script, "--prepare", str(args.voters)], env=env,
                                      check=True, capture_output=True, text=True)
            cookies = json.loads(prepared.stdout.strip().splitlines()[-1])
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
                for _ in range(args.workers * 3):  # warm every worker before measuring
                    urllib.request.urlopen(base + warm_path, timeout=10)
                t0 = time.perf_counter()
                results = _load(base, cookies, people, module.vote, seed=2026)
                wall = time.perf_counter() - t0
            finally:
                server.terminate()
                server.wait(timeout=10)
            counted = json.loads(subprocess.run([sys.executable, script, "--count"], env=env, check=True,
                                                capture_output=True, text=True).stdout)
        pages, submits = [r[0] for r in results], [r[1] for r in results]
        rows.append((shape, len(results), sum(r[2] for r in results), counted, wall, pages, submits))

    print(f"\n{title}: {args.voters} at once, gunicorn --workers {args.workers}, PostgreSQL, "
          f"{os.cpu_count()} cores\n")
    print("| load | people | accepted | in the database | wall | page p50 / p95 | submit p50 | "
          "submit p95 (target < 50 ms) | submit p99 | submit max |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for shape, n, ok, counted, wall, pages, submits in rows:
        print(f"| {shape} | {n} | {ok} | {counted} | {wall:.1f} s | {statistics.median(pages):.0f} / "
              f"{_pct(pages, 95):.0f} ms | {statistics.median(submits):.0f} ms | {_pct(submits, 95):.0f} ms | "
              f"{_pct(submits, 99):.0f} ms | {max(submits):.0f} ms |")
    return 0
