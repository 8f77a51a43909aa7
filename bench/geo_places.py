"""Benchmark: import every Greater Manchester LSOA (2021), then look up points among them.

    .venv/bin/python bench/geo_places.py [--geo-dir DIR] [--points N]

Runs against a fresh SQLite database in a temporary folder, or PostgreSQL when DATABASE_URL is
set (a fresh database is created beside it and dropped). Targets: import under 15 s; point
lookup under 2 ms at the 95th percentile.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"mean": statistics.fmean(ordered), "p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99)}


def main() -> int:
    from tests.geodata import gm_geo_dir
    from tests.pgtemp import fresh_database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geo-dir", type=Path, default=gm_geo_dir())
    parser.add_argument("--points", type=int, default=10_000)
    args = parser.parse_args()
    if args.geo_dir is None:
        parser.error("Greater Manchester boundaries not found; pass --geo-dir (see tests/data/README.md)")
    lsoa_file = args.geo_dir / "gm_lsoa_generalised.geojson"

    os.environ["POWERSHIFT_DATA_DIR"] = tempfile.mkdtemp(prefix="powershift-bench-")
    url = os.environ.get("DATABASE_URL", "")
    with fresh_database(url, "powershift_bench") if url.startswith("postgres") else nullcontext(url) as db_url:
        if db_url:
            os.environ["DATABASE_URL"] = db_url
        rows, engine = run(lsoa_file, args.points)
    print(f"Powershift place benchmark — {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, database {engine}")
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    return 0


def run(lsoa_file: Path, n_points: int) -> tuple[list[tuple[str, str]], str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "powershift.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        rows = measure(lsoa_file, n_points)
        return rows, connection.vendor
    finally:
        connection.close()


def measure(lsoa_file: Path, n_points: int) -> list[tuple[str, str]]:
    from powershift.core import actions
    from powershift.core.queries import place_index, places_at
    from powershift.formats.geojson import read_places
    from powershift.methods.geo import PlaceIndex

    rows: list[tuple[str, str]] = []

    t0 = time.perf_counter()
    features = read_places(lsoa_file, name_field="area_name", code_field="area_code")
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    actions.import_places(None, features, kind="lsoa", source=str(lsoa_file), code_field="area_code")
    t_write = time.perf_counter() - t0
    rows.append(("import 1,702 LSOAs: read and validate", f"{t_read:.2f} s"))
    rows.append(("import 1,702 LSOAs: areas, bounds and save", f"{t_write:.2f} s"))
    rows.append(("import 1,702 LSOAs: total (target < 15 s)", f"{t_read + t_write:.2f} s"))

    t0 = time.perf_counter()
    index = PlaceIndex((f.code, f.geometry) for f in features)
    rows.append(("build the spatial index", f"{(time.perf_counter() - t0) * 1000:.0f} ms"))

    rng = random.Random(2026)
    # Greater Manchester's bounding box.
    points = [(rng.uniform(-2.73, -1.91), rng.uniform(53.33, 53.69)) for _ in range(n_points)]
    samples = []
    for lon, lat in points:
        t0 = time.perf_counter()
        index.lookup(lon, lat)
        samples.append((time.perf_counter() - t0) * 1000)
    raw = percentiles(samples)
    place_index(("lsoa",))  # warm the web process's cached index, as a running server has
    samples = []
    for lon, lat in points[: min(2_000, len(points))]:
        t0 = time.perf_counter()
        places_at(lon, lat, ("lsoa",))
        samples.append((time.perf_counter() - t0) * 1000)
    full = percentiles(samples)
    for label, p in (("point lookup, index only", raw), ("point lookup with database rows", full)):
        rows.append((f"{label}: mean / p50 / p95 / p99 (target p95 < 2 ms)",
                     f"{p['mean']:.3f} / {p['p50']:.3f} / {p['p95']:.3f} / {p['p99']:.3f} ms"))
    return rows


if __name__ == "__main__":
    sys.exit(main())
