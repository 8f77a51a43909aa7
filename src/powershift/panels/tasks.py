"""Background work for panels, run by `powershift worker`."""

from __future__ import annotations

from django_tasks import task

from powershift.core.models import TaskProgress
from powershift.methods.sortition_model import SortitionInputError
from powershift.panels import actions
from powershift.panels.models import Panel


@task()
def select_panel_task(panel_id: int, progress_id: int) -> bool:
    panel = Panel.objects.get(pk=panel_id)
    progress = TaskProgress.objects.filter(pk=progress_id)
    progress.update(status=TaskProgress.Status.RUNNING, total=100, message="Finding the fairest lottery")

    def report(fraction: float, message: str) -> None:
        progress.update(done=int(100 * min(max(fraction, 0.0), 1.0)), message=message[:500])

    try:
        actions.run_selection(panel, report)
    except SortitionInputError as problem:
        Panel.objects.filter(pk=panel_id).update(selection_problem=str(problem))
        progress.update(status=TaskProgress.Status.FAILED, message=str(problem)[:500])
        return False
    except Exception:
        progress.update(status=TaskProgress.Status.FAILED,
                        message="Something went wrong on our side; nothing was drawn. Try again.")
        raise
    progress.update(status=TaskProgress.Status.DONE, done=100, message="The panel is drawn")
    return True


@task()
def erase_pool_task(panel_id: int) -> int:
    return actions.erase_unselected(Panel.objects.get(pk=panel_id))
