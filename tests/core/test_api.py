from __future__ import annotations


def test_openapi_docs(client, db) -> None:
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert {"/api/places", "/api/places/lookup", "/api/places/{code}", "/api/places/{code}/geojson"} <= set(schema["paths"])


def test_list_filter_and_page(client, riverside) -> None:
    data = client.get("/api/places", {"kind": "ward"}).json()
    assert data["count"] == 4
    assert {p["code"] for p in data["items"]} == {"RV-W-MILL", "RV-W-WEAV", "RV-W-CAST", "RV-W-SGATE"}
    assert client.get("/api/places", {"parent": "RV-SN-N"}).json()["count"] == 2
    assert len(client.get("/api/places", {"limit": 2}).json()["items"]) == 2


def test_detail_geojson_and_lookup(client, riverside) -> None:
    detail = client.get("/api/places/RV-W-MILL").json()
    assert detail["parent"] == "RV-SN-N" and detail["area_m2"] > 100_000
    feature = client.get("/api/places/RV-W-MILL/geojson").json()
    assert feature["type"] == "Feature" and feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    found = client.get("/api/places/lookup", {"lat": 53.560, "lon": -1.975, "kind": "ward"}).json()
    assert [p["code"] for p in found] == ["RV-W-MILL"]


def test_proposals_and_unknown_codes_are_not_found(client, riverside) -> None:
    from powershift.core.models import Place

    code = Place.objects.get(name="Canal Side").code
    assert client.get(f"/api/places/{code}").status_code == 404
    assert client.get("/api/places/NOPE").status_code == 404
    assert client.get("/api/places/lookup", {"lat": "north", "lon": 1}).status_code == 422
