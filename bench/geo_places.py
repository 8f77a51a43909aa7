"""Benchmark: read and index every Greater Manchester LSOA (2021), then look up points among them.

    .venv/bin/python bench/geo_places.py [--geo-dir DIR] [--points N] [--no-database]

First without Django (`bench_read_and_index`): reading and validating the file, building the
spatial index, and point-lookup latency at random points in GM's bounding box (seeded). Then,
unless --no-database, importing the LSOAs into a fresh SQLite database in a temporary folder,
or PostgreSQL when DATABASE_URL is set (a fresh database is created beside it and dropped), and
looking points up through the web process's cached index. Targets: read under 5 s, import under
15 s, point lookup under 2 ms at the 95th percentile.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))  # works without the package installed too

SEED = 2026


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"mean": statistics.fmean(samples_ms), "p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def random_points(box: tuple[float, float, float, float], n: int) -> list[tuple[float, float]]:
    rng = random.Random(SEED)
    return [(rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3])) for _ in range(n)]


def bench_read_and_index(path: str | Path, *, n_points: int = 10_000) -> dict[str, Any]:
    """Seconds to read and validate `path` and to index it; lookup latency in ms (mean, p50,
    p95, p99) over `n_points` seeded random points in the places' bounding box."""
    from powershift.formats.geojson import read_places
    from powershift.methods.geo import PlaceIndex, bounds

    t0 = time.perf_counter()
    features = read_places(path, name_field="area_name", code_field="area_code")
    read_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = PlaceIndex((f.code, f.geometry) for f in features)
    index_s = time.perf_counter() - t0

    corners = [bounds(f.geometry) for f in features]
    box = (min(c[0] for c in corners), min(c[1] for c in corners),
           max(c[2] for c in corners), max(c[3] for c in corners))
    samples, found = [], 0
    for lon, lat in random_points(box, n_points):
        t0 = time.perf_counter()
        hits = index.lookup(lon, lat)
        samples.append((time.perf_counter() - t0) * 1000)
        found += bool(hits)
    return {"features": len(features), "read_s": read_s, "index_s": index_s, "box": box,
            "points": n_points, "points_in_a_place": found, "lookup_ms": percentiles(samples)}


def bench_database_import(path: Path, box: tuple[float, float, float, float],
                          n_points: int) -> dict[str, Any]:
    """Seconds to save the LSOAs (areas, bounds, rows) through the import action, and lookup
    latency in ms through the web process's cached index, including the database rows."""
    from powershift.core import actions
    from powershift.core.queries import place_index, places_at
    from powershift.formats.geojson import read_places

    features = read_places(path, name_field="area_name", code_field="area_code")
    t0 = time.perf_counter()
    actions.import_places(None, features, kind="lsoa", source=str(path), code_field="area_code")
    import_s = time.perf_counter() - t0
    place_index(("lsoa",))  # warm the cached index, as a running server has it
    samples = []
    for lon, lat in random_points(box, n_points):
        t0 = time.perf_counter()
        places_at(lon, lat, ("lsoa",))
        samples.append((time.perf_counter() - t0) * 1000)
    return {"import_s": import_s, "lookup_ms": percentiles(samples)}


def with_fresh_database(path: Path, box: tuple[float, float, float, float],
                        n_points: int) -> tuple[dict[str, Any], str]:
    from tests.pgtemp import fresh_database

    os.environ["POWERSHIFT_DATA_DIR"] = tempfile.mkdtemp(prefix="powershift-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "powershift.settings")
    url = os.environ.get("DATABASE_URL", "")
    with fresh_database(url, "powershift_bench") if url.startswith("postgres") else nullcontext(url) as db_url:
        if db_url:
            os.environ["DATABASE_URL"] = db_url
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        try:
            call_command("migrate", verbosity=0)
            return bench_database_import(path, box, n_points), connection.vendor
        finally:
            connection.close()


def ms(p: dict[str, float]) -> str:
    return f"{p['mean']:.3f} / {p['p50']:.3f} / {p['p95']:.3f} / {p['p99']:.3f} ms"


def main() -> int:
    from tests.geodata import gm_geo_dir

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--geo-dir", type=Path, default=gm_geo_dir())
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--no-database", action="store_true", help="skip the database import")
    args = parser.parse_args()
    if args.geo_dir is None:
        parser.error("Greater Manchester boundaries not found; pass --geo-dir (see tests/data/README.md)")
    lsoa_file = args.geo_dir / "gm_lsoa_generalised.geojson"

    plain = bench_read_and_index(lsoa_file, n_points=args.points)
    n = f"{plain['features']:,} LSOAs"
    rows = [
        (f"read and validate {n} (target < 5 s)", f"{plain['read_s']:.2f} s"),
        (f"build the spatial index of {n}", f"{plain['index_s'] * 1000:.0f} ms"),
        (f"point lookup, index only, {plain['points']:,} points (target p95 < 2 ms)",
         ms(plain["lookup_ms"])),
        ("  points that fell in an LSOA", f"{plain['points_in_a_place']:,}"),
    ]
    engine = "none"
    if not args.no_database:
        db, engine = with_fresh_database(lsoa_file, plain["box"], min(2_000, args.points))
        rows += [
            (f"import {n}: areas, bounds and save (target < 15 s with reading)", f"{db['import_s']:.2f} s"),
            ("point lookup with database rows, 2,000 points", ms(db["lookup_ms"])),
        ]
    print(f"Powershift place benchmark — {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, database {engine}")
    print("  (lookups: mean / p50 / p95 / p99)")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
