"""The Open Referral UK API: every endpoint and filter validates against the UK profile's JSON
schemas (tests/data/oruk, and ../shared/data/oruk when present), is open with CORS `*`, and
filters as it says."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from powershift.directory.api import organisation_uuid, term_uuid
from powershift.directory.demo import KNIT_GROUP
from powershift.directory.models import Service, TaxonomyTerm

pytestmark = pytest.mark.django_db

LOCAL = Path(__file__).parents[1] / "data" / "oruk" / "schema"
SHARED = Path(__file__).parents[2].parent / "shared" / "data" / "oruk"
REMOTE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
ENVELOPE = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty",
            "contents"}


def _registry(root: Path) -> Registry:
    resources = []
    for path in sorted(root.rglob("*.json")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith("schema/"):
            relative = relative[len("schema/"):]
        resources.append((REMOTE + relative, Resource.from_contents(json.loads(path.read_text()),
                                                                     default_specification=DRAFT7)))
    return Registry().with_resources(resources)


def _openapi(root: Path) -> dict[str, Any]:
    found = sorted(root.rglob("openapi.json"))
    return json.loads(found[0].read_text())


def _response_schema(openapi: dict[str, Any], path: str) -> dict[str, Any]:
    schema = copy.deepcopy(openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"])
    page = openapi["components"]["schemas"]["Page"]
    if "allOf" in schema:
        schema["allOf"] = [page if part == {"$ref": "#/components/schemas/Page"} else part
                           for part in schema["allOf"]]
    return schema


SCHEMA_ROOTS = [LOCAL] + ([SHARED] if SHARED.is_dir() else [])


def check(client: Any, url: str, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, params, response.content[:300])
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    for root in SCHEMA_ROOTS:
        schema = _response_schema(_openapi(root), path)
        validator = jsonschema.Draft7Validator(schema, registry=_registry(root),
                                               format_checker=jsonschema.FormatChecker())
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
        assert not errors, (url, params, errors[:5])
    if path != "/" and "{" not in path:
        assert set(body) >= ENVELOPE, (url, sorted(body))
        assert body["size"] == len(body["contents"])
    return body


def test_about(client, directory):
    body = check(client, "/oruk/", "/")
    assert body["version"] == "3.0"


def knit() -> Service:
    return Service.objects.get(name=KNIT_GROUP)


def names(body: dict[str, Any]) -> list[str]:
    return [item.get("name") or item["service"]["name"] for item in body["contents"]]


def test_services_and_every_filter(client, directory):
    s = knit()
    company = TaxonomyTerm.objects.get(code="company")
    cases: list[tuple[dict[str, Any], bool]] = [  # (filters, knit group expected)
        ({}, True),
        ({"search": "knitting"}, True),
        ({"search": "kniting"}, True),
        ({"search": "lonely tuesday afternoon"}, True),
        ({"taxonomy_term_id": "company"}, True),
        ({"taxonomy_term_id": term_uuid(company)}, True),
        ({"taxonomy_term_id": "food"}, False),
        ({"taxonomy_id": "what-matters"}, True),
        ({"organization_id": organisation_uuid(s.organisation)}, True),
        ({"minimum_age": 18}, True),
        ({"maximum_age": 18}, False),
        ({"age": 70}, True),
        ({"age": 4}, False),
        ({"day": "TU"}, True),
        ({"day": "Wednesday"}, False),
        ({"day": "TU", "start_time": "12:00", "end_time": "17:00"}, True),
        ({"day": "TU", "start_time": "17:00"}, False),
        ({"postcode": "RV1 2MS", "proximity": 300}, True),
        ({"lat": 53.5405, "lon": -1.9420, "proximity": 300}, False),
        ({"modified_after": "2000-01-01T00:00:00"}, True),
        ({"modified_after": "2999-01-01T00:00:00"}, False),
    ]
    for filters, expected in cases:
        body = check(client, "/oruk/services", "/services", {**filters, "per_page": 200})
        assert (KNIT_GROUP in names(body)) == expected, filters
        assert body["total_items"] >= len(body["contents"])


def test_paging_envelope(client, directory):
    first = check(client, "/oruk/services", "/services", {"per_page": 50})
    assert first["size"] == 50 and first["first_page"] and not first["last_page"]
    assert first["total_pages"] == -(-first["total_items"] // 50)
    last = check(client, "/oruk/services", "/services", {"per_page": 50, "page": first["total_pages"]})
    assert last["last_page"] and not last["first_page"]
    empty = check(client, "/oruk/services", "/services", {"search": "xylophone"})
    assert empty["empty"] and empty["contents"] == [] and empty["total_items"] == 0
    assert client.get("/oruk/services", {"per_page": 0}).status_code == 400
    assert client.get("/oruk/services", {"page": 0}).status_code == 400
    assert client.get("/oruk/services", {"day": "Funday"}).status_code == 400
    assert client.get("/oruk/services", {"postcode": "ZZ9 9ZZ", "proximity": 5}).status_code == 400


def test_one_service_fully_nested(client, directory):
    s = knit()
    body = check(client, f"/oruk/services/{s.uuid}", "/services/{id}")
    assert body["name"] == KNIT_GROUP and body["organization"]["name"] == "Riverside Knit and Natter"
    assert body["schedules"][0]["byday"] == "TU" and body["schedules"][0]["opens_at"] == "13:30"
    assert {a["taxonomy_term"]["term"] for a in body["attributes"]} == {"company", "creativity"}
    assert body["service_at_locations"][0]["location"]["latitude"] == pytest.approx(53.5497, abs=0.001)
    assert client.get("/oruk/services/not-a-uuid").status_code == 404
    missing = client.get("/oruk/services/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing["Access-Control-Allow-Origin"] == "*"


def test_taxonomies_and_terms(client, directory):
    body = check(client, "/oruk/taxonomies", "/taxonomies")
    assert [t["name"] for t in body["contents"]] == ["what-matters"]
    terms = check(client, "/oruk/taxonomy_terms", "/taxonomy_terms")
    assert {t["term"] for t in terms["contents"]} >= {"company", "food", "being-active"}
    mine = check(client, "/oruk/taxonomy_terms", "/taxonomy_terms",
                 {"taxonomy_id": body["contents"][0]["id"], "search": "food"})
    assert [t["term"] for t in mine["contents"]] == ["food"]


def test_service_at_locations_and_filters(client, directory):
    for filters in ({}, {"search": "natter"}, {"taxonomy_term_id": "company", "day": "TU"},
                    {"postcode": "RV1 2MS", "proximity": 300}, {"age": 70, "per_page": 5}):
        body = check(client, "/oruk/service_at_locations", "/service_at_locations", filters)
        assert body["contents"], filters
        assert all(item["service"]["id"] == item["service_id"] for item in body["contents"])
    near = check(client, "/oruk/service_at_locations", "/service_at_locations",
                 {"search": "natter", "postcode": "RV1 2MS", "proximity": 300})
    assert KNIT_GROUP in names(near)
