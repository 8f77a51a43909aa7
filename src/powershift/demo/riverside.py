"""Riverside: a fictional town for the demo, made the same way every time (fixed seed).

A river runs west to east through the town; a high street runs north to south. The river and
the high street cut the town into four wards, grouped into two service neighbourhoods (north
and south of the river). Five natural neighbourhoods, drawn as people there see them, cut
across those lines. Each module adds its part of Riverside in its own demo.py.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.db import transaction
from shapely.geometry import LineString, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry

from powershift.core import actions
from powershift.core.models import Organisation, Place, PlaceKind, Role, User
from powershift.formats.geojson import PlaceFeature

SEED = 2026
# Each module's demo.py adds its part, in this order (support refers people to the directory).
MODULE_DEMOS = ("budgets", "directory", "ideas", "panels", "measures", "support")
DEMO_PASSWORD = "share the power"
DOMAIN = "riverside.example"

# The town's extent in WGS84: about 4 km east-west and 3 km north-south.
WEST, EAST, SOUTH, NORTH = -1.985, -1.925, 53.536, 53.563
HIGH_STREET_LON = -1.956


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    description: str


ORGANISATIONS = [
    ("riverside-knit-and-natter", "Riverside Knit and Natter", "1181234"),
    ("millbank-food-bank", "Millbank Community Food Bank", "1170001"),
]

ACCOUNTS = [
    DemoAccount(f"resident@{DOMAIN}", "Amira Khan", Role.RESIDENT, "resident of Millbank ward"),
    DemoAccount(f"member@{DOMAIN}", "Joe Bradshaw", Role.ORG_MEMBER,
                "member of Riverside Knit and Natter"),
    DemoAccount(f"leader@{DOMAIN}", "Grace Okafor", Role.ORG_LEADER,
                "leader of Riverside Knit and Natter, and a resident of Castle Hill"),
    DemoAccount(f"linkworker@{DOMAIN}", "Sam Ellis", Role.LINK_WORKER, "link worker, Riverside"),
    DemoAccount(f"keyworker@{DOMAIN}", "Priya Shah", Role.KEYWORKER, "keyworker, Riverside"),
    DemoAccount(f"staff@{DOMAIN}", "Tom Whitworth", Role.SERVICE_STAFF,
                "service staff, Riverside North"),
    DemoAccount(f"commissioner@{DOMAIN}", "Helen Marsh", Role.COMMISSIONER,
                "commissioner, Riverside"),
    DemoAccount(f"facilitator@{DOMAIN}", "Dev Patel", Role.FACILITATOR, "facilitator, Riverside"),
    DemoAccount(f"admin@{DOMAIN}", "Ruth Ainsworth", Role.ADMINISTRATOR,
                "administrator, Riverside Valley"),
]


def river_line(rng: random.Random) -> LineString:
    """A meandering river from west to east, a little beyond the town's edges."""
    mid = (SOUTH + NORTH) / 2
    phase = rng.uniform(0, math.pi)
    points = []
    for i in range(61):
        lon = WEST - 0.002 + (EAST - WEST + 0.004) * i / 60
        t = (lon - WEST) / (EAST - WEST)
        lat = mid + 0.0035 * math.sin(2 * math.pi * 1.3 * t + phase) + rng.uniform(-0.0002, 0.0002)
        points.append((lon, lat))
    return LineString(points)


def _halves(river: LineString) -> tuple[Polygon, Polygon]:
    coords = list(river.coords)
    north = Polygon([*coords, (coords[-1][0], NORTH + 1), (coords[0][0], NORTH + 1)])
    south = Polygon([*coords, (coords[-1][0], SOUTH - 1), (coords[0][0], SOUTH - 1)])
    return north, south


def _shape(geom: BaseGeometry) -> dict[str, Any]:
    return dict(mapping(geom.buffer(0)))


def _ellipse(lon: float, lat: float, rx: float, ry: float, rng: random.Random) -> Polygon:
    """A rough ellipse, wobbled so it looks hand-drawn."""
    pts = []
    for i in range(24):
        a = 2 * math.pi * i / 24
        wobble = 1 + rng.uniform(-0.08, 0.08)
        pts.append((lon + rx * wobble * math.cos(a), lat + ry * wobble * math.sin(a)))
    return Polygon(pts)


def geography() -> dict[str, list[PlaceFeature]]:
    """Every demo place as features ready for import, by kind, parents first."""
    rng = random.Random(SEED)
    town = box(WEST, SOUTH, EAST, NORTH)
    river = river_line(rng)
    north, south = _halves(river)
    west = box(WEST, SOUTH, HIGH_STREET_LON, NORTH)
    east = box(HIGH_STREET_LON, SOUTH, EAST, NORTH)
    n = 0

    def feature(code: str, name: str, geom: BaseGeometry, parent: str | None) -> PlaceFeature:
        nonlocal n
        n += 1
        return PlaceFeature(number=n, code=code, name=name, parent_code=parent, geometry=_shape(geom))

    mid_lat = (SOUTH + NORTH) / 2
    naturals = [
        ("RV-N-TOWN", "Town Centre", _ellipse(HIGH_STREET_LON, mid_lat, 0.006, 0.004, rng)),
        ("RV-N-MILLS", "The Old Mills", _ellipse(WEST + 0.012, mid_lat, 0.010, 0.005, rng)),
        ("RV-N-HOLLOW", "Hollow Lane Estate", _ellipse(HIGH_STREET_LON + 0.004, NORTH - 0.005, 0.011, 0.004, rng)),
        ("RV-N-GREEN", "Greenfields", _ellipse(HIGH_STREET_LON - 0.006, SOUTH + 0.005, 0.012, 0.0045, rng)),
        ("RV-N-PARK", "Riverside Park", _ellipse(EAST - 0.011, mid_lat, 0.009, 0.0055, rng)),
    ]
    return {
        PlaceKind.COMBINED_AUTHORITY: [feature("RV-CA", "Riverside Valley", town.buffer(0.004), None)],
        PlaceKind.LOCALITY: [feature("RV-LOC", "Riverside", town, "RV-CA")],
        PlaceKind.SERVICE_NEIGHBOURHOOD: [
            feature("RV-SN-N", "Riverside North", town & north, "RV-LOC"),
            feature("RV-SN-S", "Riverside South", town & south, "RV-LOC"),
        ],
        PlaceKind.WARD: [
            feature("RV-W-MILL", "Millbank", town & north & west, "RV-SN-N"),
            feature("RV-W-WEAV", "Weavers Green", town & north & east, "RV-SN-N"),
            feature("RV-W-CAST", "Castle Hill", town & south & west, "RV-SN-S"),
            feature("RV-W-SGATE", "Southgate", town & south & east, "RV-SN-S"),
        ],
        PlaceKind.NATURAL: [feature(code, name, town & shape, "RV-LOC") for code, name, shape in naturals],
        "river": [feature("RV-RIVER", "River Wend", (river & town.buffer(0.001)).buffer(0.0004), None)],
    }


def _account(spec: DemoAccount) -> User:
    user = User.objects.filter(email=spec.email).first()
    if user is None:
        user = actions.sign_up(full_name=spec.full_name, email=spec.email, password=DEMO_PASSWORD)
    else:  # a refresh puts back the demo password and name
        user.full_name = spec.full_name
        user.set_password(DEMO_PASSWORD)
        user.is_active = True
        user.save()
    return user


@transaction.atomic
def build(modules: bool = True) -> list[DemoAccount]:
    """Create or refresh Riverside; return the demo accounts to print.

    With `modules` False only the places, organisations and accounts are made (for tests that
    need no more)."""
    geo = geography()
    river = geo.pop("river")[0]
    for kind, features in geo.items():
        actions.import_places(None, features, kind=kind, source="Riverside demo", code_field="code")
    locality = Place.objects.get(code="RV-LOC")
    locality.landmarks = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": river.geometry, "properties": {"name": river.name}}]}
    locality.description = (
        "A riverside town of mills, terraces and new estates, where residents, community groups "
        "and public services are learning to share power."
    )
    locality.save(update_fields=["landmarks", "description"])

    orgs = {}
    for slug, name, charity in ORGANISATIONS:
        orgs[slug], _ = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "charity_number": charity, "place": locality})
    scope: dict[str, dict[str, Any]] = {
        Role.RESIDENT: {"place": Place.objects.get(code="RV-W-MILL")},
        Role.ORG_MEMBER: {"organisation": orgs["riverside-knit-and-natter"]},
        Role.ORG_LEADER: {"organisation": orgs["riverside-knit-and-natter"]},
        Role.SERVICE_STAFF: {"place": Place.objects.get(code="RV-SN-N")},
        Role.ADMINISTRATOR: {"place": Place.objects.get(code="RV-CA")},
    }
    for spec in ACCOUNTS:
        user = _account(spec)
        actions.assign_role(None, user, spec.role, **scope.get(spec.role, {"place": locality}))
    # One person may hold several roles: the group's leader also lives in Castle Hill.
    leader = User.objects.get(email=f"leader@{DOMAIN}")
    actions.assign_role(None, leader, Role.RESIDENT, place=Place.objects.get(code="RV-W-CAST"))
    resident = User.objects.get(email=ACCOUNTS[0].email)
    if not Place.objects.filter(proposed_by=resident).exists():
        rng = random.Random(SEED + 1)
        canal = _ellipse(WEST + 0.030, (SOUTH + NORTH) / 2 + 0.006, 0.005, 0.003, rng)
        actions.propose_natural_neighbourhood(
            resident, parent=locality, name="Canal Side",
            description="The streets between the canal and the river, where the old wharf was.",
            geometry=_shape(canal & box(WEST, SOUTH, EAST, NORTH)),
        )
    if modules:
        accounts = {a.email.split("@")[0]: User.objects.get(email=a.email) for a in ACCOUNTS}
        for app in MODULE_DEMOS:
            import_module(f"powershift.{app}.demo").build(accounts)
    return ACCOUNTS

