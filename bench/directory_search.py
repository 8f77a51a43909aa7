"""Benchmark: the community directory with 50,000 services, on SQLite and on PostgreSQL.

    .venv/bin/python bench/directory_search.py [--services N] [--queries N] [--engines sqlite,postgres]

Measures, for each database: importing the feed (read, validate, dedupe, write, index) against
the 60 s target; search with text plus two filters (place and day, or what-matters term and
free) at the 95th percentile against 50 ms; the ORUK `/services` page of 50 against 50 ms.

The feed is synthetic (there is no public directory of 50,000 services): Riverside's activities
spread over an area the size of Greater Manchester, one in fifty in the demo town with its places, made from a fixed seed and kept in
$POWERSHIFT_BENCH_DIRECTORY (default /work/benchdata/directory, or ../shared/data/directory if
it has services_50k.json); it is written there on first run. There is no reference tool for
directories, so the table shows the targets beside our figures. Each database runs in its own
process (Django is set up once per process); PostgreSQL uses DATABASE_URL's server
(default postgres://postgres@127.0.0.1:5432/postgres) with a fresh database, dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

SEED = 2026
TARGETS = {"import_s": 60.0, "search_p95_ms": 50.0, "page_p95_ms": 50.0}
WORDS = ["knitting", "lonely", "food", "walking", "advice", "singing", "garden", "debt", "youth",
         "carers", "kniting", "chat", "english", "repair", "dance", "lunch", "toddlers", "housing"]
FIRST = ["Golden", "Silver", "Oak", "Ash", "Birch", "Rowan", "Meadow", "Brook", "Canal", "Chapel",
         "Orchard", "Heather", "Willow", "Station", "Market", "Victoria", "Albert", "Mill", "Forge",
         "Lark", "Robin", "Wren", "Heron", "Kingfisher", "Bluebell", "Daisy", "Clover", "Maple",
         "Hazel", "Cedar"]
EXTRA = ["friendly", "welcome", "weekly", "local", "free", "tea", "volunteers", "support", "group",
         "club", "session", "drop-in", "families", "older", "people", "neighbours", "community"]


def data_dir() -> Path:
    env = os.environ.get("POWERSHIFT_BENCH_DIRECTORY")
    if env:
        return Path(env)
    shared = ROOT.parent / "shared" / "data" / "directory"
    if (shared / "services_50k.json").exists():
        return shared
    return Path("/work/benchdata/directory")


def make_feed(path: Path, n: int) -> None:
    """A deterministic HSDS 3 feed of `n` services across Riverside (in a process of its own:
    the demo's word lists come with Django models)."""
    os.environ["POWERSHIFT_DATA_DIR"] = tempfile.mkdtemp(prefix="powershift-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "powershift.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from powershift.demo.riverside import EAST, NORTH, SOUTH, WEST
    from powershift.directory.demo import ACTIVITIES, AREAS, KINDS
    from powershift.formats import oruk

    rng = random.Random(SEED)
    services = []
    orgs = [f"{a} {k} {i}" for i in range(50) for a in AREAS for k in KINDS][: max(1, n // 10)]
    for i in range(n):
        name, description, terms, day, opens, closes, free, lo, hi = ACTIVITIES[i % len(ACTIVITIES)]
        words = " ".join(rng.sample(EXTRA, 6))
        if i % 50:  # across a city-region the size of Greater Manchester, one in fifty in Riverside
            lat, lon = rng.uniform(SOUTH - 0.12, NORTH + 0.12), rng.uniform(WEST - 0.2, EAST + 0.2)
        else:
            lat, lon = rng.uniform(SOUTH, NORTH), rng.uniform(WEST, EAST)
        services.append(oruk.Service(
            id=f"bench-{i:06d}", line=i + 1,
            name=f"{rng.choice(FIRST)} {rng.choice(FIRST)} {rng.choice(AREAS)} {name}",
            description=f"{description} {words}.",
            organisation=oruk.Organisation(f"bench-org-{i % len(orgs)}", orgs[i % len(orgs)]),
            free=free, minimum_age=lo, maximum_age=hi,
            terms=tuple(oruk.Term(t, oruk.WHAT_MATTERS[t][0], oruk.OUR_VOCABULARY) for t in terms),
            locations=(oruk.Location(f"bench-loc-{i:06d}", f"Venue {i % 400}", f"{i % 90} High Street",
                                     f"RV{i % 9} {i % 7}AB", round(lat, 6), round(lon, 6)),),
            schedules=(oruk.Schedule(byday=(rng.choice(oruk.DAYS),), opens_at=oruk.time.fromisoformat(opens),
                                     closes_at=oruk.time.fromisoformat(closes)),)))
    path.parent.mkdir(parents=True, exist_ok=True)
    oruk.write_hsds3(services, path)


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94]}


def run_engine(engine: str, feed_path: Path, n_queries: int) -> dict[str, Any]:
    """In this process: a fresh database, Riverside's places, the import, then the timings."""
    from tests.pgtemp import fresh_database

    os.environ["POWERSHIFT_DATA_DIR"] = tempfile.mkdtemp(prefix="powershift-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "powershift.settings")
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if engine == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    with fresh_database(url, "powershift_bench_dir") if engine == "postgres" else nullcontext("") as db_url:
        if db_url:
            os.environ["DATABASE_URL"] = db_url
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from powershift.core.models import Place, PlaceKind
        from powershift.demo.riverside import build
        from powershift.directory import actions, queries
        from powershift.formats import oruk

        call_command("migrate", verbosity=0)
        build(modules=False)
        t0 = time.perf_counter()
        feed = oruk.read(feed_path, fmt="hsds3")
        report = actions.import_feed(None, feed)
        import_s = time.perf_counter() - t0
        if engine == "postgres":
            from django.db import connection

            with connection.cursor() as c:
                c.execute("ANALYZE")
        naturals = list(Place.objects.filter(kind=PlaceKind.NATURAL, status="approved").defer("geometry"))
        rng = random.Random(SEED)
        queries.search(queries.Filters(text="warm up"))  # load the vocabulary once, as a server would
        samples = []
        for i in range(n_queries):
            word = rng.choice(WORDS)
            if i % 2:
                f = queries.Filters(text=word, place=rng.choice(naturals), days=frozenset({rng.randrange(7)}))
            else:
                f = queries.Filters(text=word, terms=[rng.choice(list(oruk.WHAT_MATTERS))], free=True)
            t = time.perf_counter()
            queries.search(f, limit=20)
            samples.append((time.perf_counter() - t) * 1000)
        client = Client()
        pages = []
        total_pages = -(-len(feed.services) // 50)
        for _ in range(max(20, n_queries // 2)):
            t = time.perf_counter()
            response = client.get("/oruk/services", {"page": rng.randint(1, total_pages), "per_page": 50},
                                  HTTP_HOST="127.0.0.1")
            pages.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.content[:200]
        return {"engine": engine, "services": len(report.taken), "import_s": import_s,
                "search": percentiles(samples), "page": percentiles(pages)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--make", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    feed_path = data_dir() / ("services_50k.json" if args.services == 50_000 else f"services_{args.services}.json")
    if args.make:
        make_feed(feed_path, args.services)
        return 0
    if args.child:
        print(json.dumps(run_engine(args.child, feed_path, args.queries)))
        return 0
    if not feed_path.exists():
        print(f"Writing the synthetic feed to {feed_path} (set POWERSHIFT_BENCH_DIRECTORY to "
              "keep it elsewhere)", file=sys.stderr)
        subprocess.run([sys.executable, __file__, "--make", "--services", str(args.services)], check=True)
    results = []
    for engine in args.engines.split(","):
        out = subprocess.run([sys.executable, __file__, "--child", engine, "--services", str(args.services),
                              "--queries", str(args.queries)], capture_output=True, text=True, check=False)
        if out.returncode:
            print(f"{engine}: failed\n{out.stderr[-2000:]}", file=sys.stderr)
            continue
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"Community directory, {args.services:,} services; {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}; no reference tool exists, "
          "targets shown instead")
    print(f"{'database':<10} {'import s':>9} {'search p50 ms':>14} {'search p95 ms':>14} "
          f"{'/services p50 ms':>17} {'/services p95 ms':>17}")
    for r in results:
        print(f"{r['engine']:<10} {r['import_s']:>9.1f} {r['search']['p50']:>14.1f} {r['search']['p95']:>14.1f} "
              f"{r['page']['p50']:>17.1f} {r['page']['p95']:>17.1f}")
    print(f"{'target':<10} {TARGETS['import_s']:>9.0f} {'':>14} {TARGETS['search_p95_ms']:>14.0f} "
          f"{'':>17} {TARGETS['page_p95_ms']:>17.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
