"""Citizens' panels: quotas, invitations, the pool, a verifiable LEXIMIN draw, answers and
replacements, recommendations and public answers, and retention."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from powershift.core.models import Place, User
from powershift.methods import leximin, sortition_draw
from powershift.methods.sortition_model import SortitionInputError
from powershift.panels import actions, tasks
from powershift.panels.models import PanelStage, ResponseStatus, Volunteer, VolunteerStatus

pytestmark = pytest.mark.django_db

QUOTAS = [actions.QuotaPlan("Age", "Young", 2, 3, 0.4), actions.QuotaPlan("Age", "Old", 3, 4, 0.6),
          actions.QuotaPlan("Area", "North", 2, 4, 0.5), actions.QuotaPlan("Area", "South", 2, 4, 0.5)]


def person(role: str) -> User:
    return User.objects.get(email=f"{role}@riverside.example")


@pytest.fixture
def panel(riverside):  # type: ignore[no-untyped-def]
    return actions.create_panel(
        person("facilitator"), place=Place.objects.get(code="RV-LOC"), question="What next?", size=6,
        recruitment_closes=dt.date(2026, 12, 1), meets_from=dt.date(2026, 12, 5),
        meets_to=dt.date(2026, 12, 20), quotas=QUOTAS)


def _pool(panel, n=30, seed=1):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    for i in range(n):
        actions.volunteer(person("facilitator"), panel, name=f"Person {i}", email=f"p{i}@example.org",
                          features={"Age": rng.choice(["Young", "Old"]), "Area": rng.choice(["North", "South"])},
                          consent=True, address=f"{i % 25} High Street")


@pytest.mark.parametrize(("quotas", "message"), [
    ([actions.QuotaPlan("Age", "Young", 4, 3)], "minimum 4 is above the maximum 3"),
    ([actions.QuotaPlan("Age", "Young", 4, 5), actions.QuotaPlan("Age", "Old", 4, 5)],
     "the minimums add up to 8 and the maximums to 10, so no panel of 6 fits"),
    ([actions.QuotaPlan("Age", "Young", 0, 2), actions.QuotaPlan("Age", "Old", 0, 2)],
     "the maximums to 4, so no panel of 6 fits"),
])
def test_quotas_that_no_panel_can_meet_are_refused(riverside, quotas, message):
    with pytest.raises(ValidationError) as e:
        actions.create_panel(person("facilitator"), place=Place.objects.get(code="RV-LOC"), question="Q?",
                             size=6, recruitment_closes=dt.date(2026, 12, 1), meets_from=dt.date(2026, 12, 5),
                             meets_to=dt.date(2026, 12, 20), quotas=quotas)
    assert message in " ".join(e.value.messages)


def test_only_facilitators_run_panels(riverside):
    with pytest.raises(PermissionDenied):
        actions.create_panel(person("staff"), place=Place.objects.get(code="RV-LOC"), question="Q?", size=6,
                             recruitment_closes=dt.date(2026, 12, 1), meets_from=dt.date(2026, 12, 5),
                             meets_to=dt.date(2026, 12, 20), quotas=QUOTAS)


def test_letters_go_to_random_addresses_and_codes_work_once(panel):
    addresses = [f"{i} Canal Row" for i in range(50)]
    letters = actions.invite(person("facilitator"), panel, addresses, 10, seed=7)
    assert len({a for _, _, a in letters}) == 10 and set(a for _, _, a in letters) <= set(addresses)
    ref, code, address = letters[0]
    v = actions.volunteer(None, panel, code=code.lower(), name="Ann", email="ann@example.org",
                          features={"Age": "Young", "Area": "North"}, consent=True)
    assert v.invitation.reference == ref and v.household == actions.household_key(address.upper())
    with pytest.raises(ValidationError, match="has been used"):
        actions.volunteer(None, panel, code=code, name="Bob", email="b@example.org",
                          features={"Age": "Young", "Area": "North"}, consent=True)
    with pytest.raises(ValidationError) as e:
        actions.volunteer(None, panel, code=letters[1][1], name="Cy", email="c@example.org",
                          features={"Age": "Middle"}, consent=True)
    assert set(e.value.message_dict) == {"feature_Age", "feature_Area"}
    with pytest.raises(ValidationError, match="consent"):
        actions.volunteer(None, panel, code=letters[1][1], name="Cy", email="c@example.org",
                          features={"Age": "Old", "Area": "North"}, consent=False)
    # Names, contacts and addresses are encrypted at rest.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name, email FROM panels_volunteer WHERE id = %s", [v.pk])
        raw_name, raw_email = cursor.fetchone()
    assert "Ann" not in raw_name and "ann@" not in raw_email


def test_the_draw_is_fair_meets_every_quota_and_can_be_repeated(panel):
    _pool(panel)
    with pytest.raises(ValidationError, match="commitment"):
        actions.start_selection(person("facilitator"), panel)
    commitment = actions.commit_to_seed(person("facilitator"), panel, "dice 3-5-1")
    assert commitment == sortition_draw.commit_seed("dice 3-5-1") and not panel.seed_revealed
    progress = actions.start_selection(person("facilitator"), panel)
    assert tasks.select_panel_task.call(panel.pk, progress.pk) is True
    panel.refresh_from_db()
    progress.refresh_from_db()
    assert panel.stage == PanelStage.SELECTED and panel.seed_revealed and progress.status == "done"
    chosen = [str(v.pk) for v in panel.volunteers.filter(status=VolunteerStatus.SELECTED)]
    pool, quotas = actions.pool_and_quotas(panel)
    assert len(chosen) == 6 and leximin.meets_quotas(chosen, pool, quotas, households=True, size=6)
    s = panel.selection
    assert abs(sum(s["probabilities"].values()) - 6) < 1e-6
    # Anyone with the published committees and seed gets the same panel.
    assert sorted(sortition_draw.redraw([(c["members"], c["weight"]) for c in s["committees"]], panel.seed)) == sorted(chosen)


def test_infeasible_quotas_are_explained_and_nothing_is_drawn(panel):
    _pool(panel, n=8)
    Volunteer.objects.filter(panel=panel).update(features={"Age": "Old", "Area": "North"})
    actions.commit_to_seed(person("facilitator"), panel, "x")
    progress = actions.start_selection(person("facilitator"), panel)
    assert tasks.select_panel_task.call(panel.pk, progress.pk) is False
    panel.refresh_from_db()
    assert panel.stage == PanelStage.RECRUITING and not panel.seed_revealed
    assert "Young" in panel.selection_problem
    with pytest.raises(SortitionInputError):
        actions.run_selection(panel)


def test_replacements_keep_the_quotas(panel):
    _pool(panel, n=40, seed=3)
    actions.commit_to_seed(person("facilitator"), panel, "seed")
    actions.run_selection(panel)
    first = list(panel.volunteers.filter(status=VolunteerStatus.SELECTED))
    actions.answer(panel, first[0], accept=False)
    actions.answer(panel, first[1], accept=True, actor=person("facilitator"))
    new = actions.draw_replacements(person("facilitator"), panel)
    assert len(new) == 1 and new[0].replacement
    on = [str(v.pk) for v in panel.volunteers.filter(status__in=["selected", "accepted"])]
    pool, quotas = actions.pool_and_quotas(panel)
    assert leximin.meets_quotas(on, pool, quotas, households=True, size=6)


def test_recommendations_get_public_answers_and_the_pool_is_erased_at_the_end(panel, django_capture_on_commit_callbacks):
    _pool(panel, n=20, seed=5)
    actions.commit_to_seed(person("facilitator"), panel, "s")
    actions.run_selection(panel)
    actions.advance(person("facilitator"), panel, PanelStage.WORKING)
    with pytest.raises(ValidationError, match="More votes than panel members"):
        actions.add_recommendation(person("facilitator"), panel, text="Too many", votes_for=6, votes_against=1)
    r = actions.add_recommendation(person("facilitator"), panel, text="Plant trees", votes_for=5, votes_against=1)
    with pytest.raises(PermissionDenied):
        actions.respond(person("facilitator"), r, status=ResponseStatus.ACCEPTED, response="Yes")
    actions.respond(person("commissioner"), r, status=ResponseStatus.ACCEPTED, response="Yes, 200 trees")
    actions.post_progress(person("commissioner"), r, "100 planted")
    assert r.updates.count() == 1
    actions.advance(person("facilitator"), panel, PanelStage.RESPONDED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.advance(person("facilitator"), panel, PanelStage.ENDED)
    assert callbacks  # the retention task is queued when the panel ends
    assert tasks.erase_pool_task.call(panel.pk) == 14
    kept = panel.volunteers.filter(status=VolunteerStatus.SELECTED)
    assert kept.count() == 6 and all(v.name for v in kept)
    erased = panel.volunteers.filter(status=VolunteerStatus.ERASED)
    assert erased.count() == 14 and all(v.name == "" and v.email == "" for v in erased)
    assert all(v.features for v in erased)  # anonymous features stay, so the draw can be checked
