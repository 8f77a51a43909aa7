"""Background tasks for core, run by `powershift worker`, reporting to TaskProgress."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks import task

from powershift.core import actions
from powershift.core.errors import BadInput
from powershift.core.models import TaskProgress, User
from powershift.formats.geojson import GeoJSONError, read_places


def set_progress(progress_id: int, **fields: object) -> None:
    TaskProgress.objects.filter(pk=progress_id).update(**fields)


def start_place_import(
    actor: User, *, upload_name: str, data: bytes, kind: str, name_field: str, code_field: str,
    parent_code: str | None,
) -> TaskProgress:
    """Queue an import of an uploaded boundary file; the page polls the returned progress."""
    progress = TaskProgress.objects.create(title=f"Import {kind} places from {upload_name}", created_by=actor)
    # Kept in the file storage (shared by web and worker machines) until the worker has read it.
    stored = default_storage.save(f"imports/{progress.pk}-{Path(upload_name).name}", ContentFile(data))
    transaction.on_commit(lambda: import_places_task.enqueue(
        progress.pk, actor.pk, stored, kind, name_field, code_field, parent_code, upload_name))
    return progress


@task()
def import_places_task(
    progress_id: int, actor_id: int, stored: str, kind: str, name_field: str, code_field: str,
    parent_code: str | None, display_name: str,
) -> dict[str, int]:
    set_progress(progress_id, status=TaskProgress.Status.RUNNING, message="Checking the file")
    actor = User.objects.get(pk=actor_id)
    local = Path(tempfile.mkdtemp(prefix="powershift-import-")) / Path(display_name).name
    path = str(local)
    try:
        with default_storage.open(stored) as upload:
            local.write_bytes(upload.read())
        features = read_places(path, name_field=name_field, code_field=code_field)
        set_progress(progress_id, total=len(features), message="Saving places")
        summary = actions.import_places(
            actor, features, kind=kind, source=display_name, code_field=code_field,
            parent_code=parent_code,
            progress=lambda done, total: set_progress(progress_id, done=done, total=total),
        )
    except (GeoJSONError, BadInput) as problem:
        message = str(problem).replace(path, display_name)
        set_progress(progress_id, status=TaskProgress.Status.FAILED, message=message[:500])
        return {"created": 0, "updated": 0}
    except Exception:
        set_progress(progress_id, status=TaskProgress.Status.FAILED,
                     message="Something went wrong on our side; nothing was imported. Try again later.")
        raise
    finally:
        local.unlink(missing_ok=True)
        local.parent.rmdir()
        default_storage.delete(stored)
    result = {"created": summary.created, "updated": summary.updated}
    set_progress(
        progress_id, status=TaskProgress.Status.DONE, result=result,
        message=f"{summary.created} new places, {summary.updated} updated",
    )
    return result


@task()
def daily_task() -> list[tuple[str, str]]:
    """Run the day's jobs, then queue the next morning's run (whatever happened today)."""
    from powershift.core import daily

    try:
        return daily.run_all()
    finally:
        transaction.on_commit(lambda: daily_task.using(run_after=daily.next_run()).enqueue())


def keep_daily_task_queued() -> None:
    """Queue the daily task unless one is already waiting (called when a worker starts)."""
    from django_tasks_db.models import DBTaskResult

    from powershift.core import daily

    if not DBTaskResult.objects.filter(task_path=daily_task.module_path, status="READY").exists():
        daily_task.using(run_after=daily.next_run()).enqueue()
