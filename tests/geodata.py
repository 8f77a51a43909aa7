"""Where tests find the real Greater Manchester boundaries (see tests/data/README.md)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def gm_geo_dir() -> Path | None:
    candidates = [os.environ.get("POWERSHIFT_GEO_DATA"), ROOT.parent / "shared" / "data" / "geo", "/work/geo"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "gm_ward_generalised.geojson").exists():
            return Path(candidate)
    return None
