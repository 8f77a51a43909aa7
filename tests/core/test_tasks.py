"""A boundary upload runs in the background worker and reports progress to a page."""

from __future__ import annotations

import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from powershift.core.models import Place, TaskProgress, User

# The worker closes and reopens database connections as a real worker does, so these tests
# run outside the usual per-test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def _upload(features: list[dict]) -> SimpleUploadedFile:
    return SimpleUploadedFile("wards.geojson", json.dumps(
        {"type": "FeatureCollection", "features": features}).encode())


def _square(code: str, x: float) -> dict:
    return {"type": "Feature", "properties": {"code": code, "name": f"Ward {code}"},
            "geometry": {"type": "Polygon", "coordinates": [[[x, 53.5], [x + .01, 53.5], [x + .01, 53.51], [x, 53.51], [x, 53.5]]]}}


def _start(client, riverside, features, django_capture_on_commit_callbacks) -> TaskProgress:
    client.force_login(User.objects.get(email="admin@riverside.example"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:import-places"), {
            "upload": _upload(features), "kind": "ward", "name_field": "name", "code_field": "code",
            "parent": Place.objects.get(code="RV-LOC").pk})
    progress = TaskProgress.objects.get()
    assert response["Location"] == reverse("core:task", args=[progress.pk])
    assert progress.status == TaskProgress.Status.QUEUED
    return progress


def test_worker_imports_upload_and_reports_progress(client, riverside, django_capture_on_commit_callbacks) -> None:
    progress = _start(client, riverside, [_square("T1", -2.3), _square("T2", -2.28)],
                      django_capture_on_commit_callbacks)
    page = client.get(reverse("core:task", args=[progress.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Waiting to start" in page
    call_command("db_worker", batch=True, queue_name="*", reload=False, startup_delay=False, verbosity=0)
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.DONE, progress.message
    assert progress.result == {"created": 2, "updated": 0}
    assert Place.objects.filter(code__in=["T1", "T2"], parent__code="RV-LOC").count() == 2
    fragment = client.get(reverse("core:task", args=[progress.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and "2 new places" in fragment


def test_worker_reports_bad_file_and_saves_nothing(client, riverside, django_capture_on_commit_callbacks) -> None:
    bad = _square("T1", -2.3)
    del bad["properties"]["name"]
    progress = _start(client, riverside, [_square("T0", -2.32), bad], django_capture_on_commit_callbacks)
    call_command("db_worker", batch=True, queue_name="*", reload=False, startup_delay=False, verbosity=0)
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.FAILED
    assert "wards.geojson: feature 2, field 'name'" in progress.message
    assert not Place.objects.filter(code__in=["T0", "T1"]).exists()
    assert default_storage.listdir("imports")[1] == []  # the upload is not kept


def test_only_administrators_upload_boundaries(client, riverside) -> None:
    client.force_login(User.objects.get(email="facilitator@riverside.example"))
    assert client.get(reverse("core:import-places")).status_code == 403
