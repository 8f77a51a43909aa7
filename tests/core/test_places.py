"""Natural neighbourhoods: propose by drawing or uploading, review, overlaps with service areas."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from powershift.core.models import AuditEvent, Place, PlaceStatus, User
from powershift.core.queries import overlaps_with_service_places, places_at

SQUARE = {"type": "Polygon", "coordinates": [[[-1.970, 53.545], [-1.945, 53.545], [-1.945, 53.556],
                                              [-1.970, 53.556], [-1.970, 53.545]]]}


def _user(role: str) -> User:
    return User.objects.get(email=f"{role}@riverside.example")


def test_riverside_hierarchy(riverside) -> None:
    wards = Place.objects.filter(kind="ward")
    assert sorted(w.name for w in wards) == ["Castle Hill", "Millbank", "Southgate", "Weavers Green"]
    assert {w.parent.code for w in wards} == {"RV-SN-N", "RV-SN-S"}
    assert Place.objects.filter(kind="natural", status=PlaceStatus.APPROVED).count() == 5
    assert Place.objects.get(code="RV-LOC").parent.code == "RV-CA"


def test_every_natural_neighbourhood_cuts_across_wards(riverside) -> None:
    for place in Place.objects.filter(kind="natural", status=PlaceStatus.APPROVED):
        wards = overlaps_with_service_places(place)["Ward"]
        assert len(wards) >= 2, place.name
        assert abs(sum(o.share for o in wards) - 1) < 0.01, place.name


def test_natural_page_says_how_it_splits(client, riverside) -> None:
    html = client.get(reverse("core:place", args=["RV-N-TOWN"])).content.decode()
    assert "% in Millbank" in html and "% in Southgate" in html


def test_point_lookup_finds_the_nested_places(riverside) -> None:
    found = {p.code for p in places_at(-1.975, 53.560)}  # north-west corner of the town
    assert {"RV-CA", "RV-LOC", "RV-SN-N", "RV-W-MILL"} <= found
    assert "RV-W-SGATE" not in found
    assert places_at(0.0, 0.0) == []


def test_propose_by_drawing_then_staff_approve(client, riverside) -> None:
    client.force_login(_user("member"))
    locality = Place.objects.get(code="RV-LOC")
    response = client.post(reverse("core:propose-place"), {
        "name": "Weavers Yard", "description": "Around the old weaving sheds",
        "parent": locality.pk, "geometry": json.dumps(SQUARE)})
    assert response.status_code == 302
    place = Place.objects.get(name="Weavers Yard")
    assert place.status == PlaceStatus.PROPOSED and place.kind == "natural"
    # Not public until approved.
    client.logout()
    assert client.get(place.get_absolute_url()).status_code == 404
    client.force_login(_user("facilitator"))
    response = client.post(reverse("core:review-place", args=[place.code]),
                           {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.status == PlaceStatus.APPROVED
    assert AuditEvent.objects.filter(action="places.review", object_id=str(place.pk)).exists()
    client.logout()
    assert client.get(place.get_absolute_url()).status_code == 200


def test_propose_by_uploading_geojson(client, riverside) -> None:
    client.force_login(_user("resident"))
    upload = SimpleUploadedFile("yard.geojson", json.dumps(
        {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": SQUARE}]}
    ).encode(), content_type="application/geo+json")
    response = client.post(reverse("core:propose-place"), {
        "name": "Uploaded Yard", "parent": Place.objects.get(code="RV-LOC").pk, "upload": upload})
    assert response.status_code == 302
    assert Place.objects.filter(name="Uploaded Yard", status=PlaceStatus.PROPOSED).exists()


def test_bad_boundary_shows_error_summary_and_saves_nothing(client, riverside) -> None:
    client.force_login(_user("resident"))
    before = Place.objects.count()
    for bad in ["{not json", json.dumps({"type": "Point", "coordinates": [-1.95, 53.55]}), ""]:
        response = client.post(reverse("core:propose-place"), {
            "name": "Bad", "parent": Place.objects.get(code="RV-LOC").pk, "geometry": bad})
        html = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in html and 'id="id_geometry-error"' in html
    assert Place.objects.count() == before


def test_rejection_needs_a_reason(client, riverside) -> None:
    client.force_login(_user("admin"))
    place = Place.objects.get(name="Canal Side")
    response = client.post(reverse("core:review-place", args=[place.code]), {"decision": "reject", "reason": ""})
    assert 'id="id_reason-error"' in response.content.decode()
    client.post(reverse("core:review-place", args=[place.code]),
                {"decision": "reject", "reason": "It overlaps The Old Mills almost entirely"})
    place.refresh_from_db()
    assert place.status == PlaceStatus.REJECTED


def test_residents_cannot_review(client, riverside) -> None:
    client.force_login(_user("commissioner"))
    place = Place.objects.get(name="Canal Side")
    response = client.post(reverse("core:review-place", args=[place.code]), {"decision": "approve"})
    assert response.status_code in (403, 404)
    place.refresh_from_db()
    assert place.status == PlaceStatus.PROPOSED


def test_place_map_geojson_has_children_and_landmarks(client, riverside) -> None:
    data = client.get(reverse("core:place-map", args=["RV-LOC"])).json()
    roles = [f["properties"]["role"] for f in data["features"]]
    assert roles.count("focus") == 1 and "landmark" in roles and "child" in roles
