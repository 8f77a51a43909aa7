"""Where tests find the real Greater Manchester boundaries (see tests/data/README.md).

The files are not in this repository. Tests that need them take the `gm_geo` fixture (made
available to every test by tests/conftest.py) or carry the `needs_gm_geo` mark; either way they
are skipped when the files are absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GM_FILES = (
    "gm_combined_authority_generalised.geojson",
    "gm_local_authority_generalised.geojson",
    "gm_ward_generalised.geojson",
    "gm_lsoa_generalised.geojson",
)
MISSING = "Greater Manchester boundaries not found (see tests/data/README.md)"


def gm_geo_dir() -> Path | None:
    """The first of $POWERSHIFT_GEO_DATA, ../shared/data/geo and /work/geo holding the files."""
    candidates = [os.environ.get("POWERSHIFT_GEO_DATA"), ROOT.parent / "shared" / "data" / "geo", "/work/geo"]
    for candidate in candidates:
        if candidate and all((Path(candidate) / name).is_file() for name in GM_FILES):
            return Path(candidate)
    return None


needs_gm_geo = pytest.mark.skipif(gm_geo_dir() is None, reason=MISSING)


@pytest.fixture(scope="session", name="gm_geo")
def gm_geo_fixture() -> Path:
    """The folder of Greater Manchester boundaries, or a skip."""
    geo = gm_geo_dir()
    if geo is None:
        pytest.skip(MISSING)
    return geo
