"""Panels' action functions: the only code that changes a panel's state.

Each checks permission, validates, writes in one transaction and appends an audit record.
Selection itself runs in the worker (tasks.py), calling `run_selection`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from powershift.core.audit import record
from powershift.core.codes import code_hash, new_code, unique_slug
from powershift.core.models import Place, TaskProgress, User, Visibility
from powershift.methods import leximin, sortition_draw
from powershift.methods.sortition_model import Person, Pool, Quotas, Selection, SortitionInputError
from powershift.methods.sortition_model import Quota as MethodQuota
from powershift.panels.models import (
    STAGE_ORDER,
    Invitation,
    Meeting,
    Panel,
    PanelStage,
    ProgressUpdate,
    Quota,
    Recommendation,
    ResponseStatus,
    Volunteer,
    VolunteerStatus,
)


def _require(perm: str, actor: User | None, obj: object = None) -> None:
    if actor is not None and not rules.has_perm(perm, actor, obj):
        raise PermissionDenied(perm)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def household_key(address: str) -> str:
    """People at the same address share this key (case, spacing and punctuation ignored)."""
    return _hash("".join(c for c in address.lower() if c.isalnum()))


@dataclass(frozen=True)
class QuotaPlan:
    feature: str
    value: str
    min: int
    max: int
    census_share: float | None = None


@transaction.atomic
def create_panel(actor: User | None, *, place: Place, question: str, size: int,
                 recruitment_closes: dt.date, meets_from: dt.date, meets_to: dt.date,
                 quotas: Sequence[QuotaPlan], description: str = "", algorithm: str = "leximin",
                 households: bool = True) -> Panel:
    if actor is not None and not rules.has_perm("panels.run_panel_in", actor, place):
        raise PermissionDenied("only facilitators and administrators of the place run panels")
    if size < 2:
        raise ValidationError({"size": _("A panel needs at least 2 people")})
    if meets_to < meets_from or meets_from < recruitment_closes:
        raise ValidationError({"meets_from": _("The panel meets after recruitment closes, and "
                                               "its last meeting is after its first")})
    _check_quotas(quotas, size)
    panel = Panel.objects.create(place=place, slug=unique_slug(Panel, question, "panel"), question=question, description=description,
                                 size=size, recruitment_closes=recruitment_closes, meets_from=meets_from,
                                 meets_to=meets_to, algorithm=algorithm, households=households,
                                 facilitator=actor)
    Quota.objects.bulk_create([Quota(panel=panel, feature=q.feature, value=q.value, min=q.min,
                                     max=q.max, census_share=q.census_share) for q in quotas])
    record(actor, "panels.panel.create", panel, f"Started recruiting a panel of {size}: {question}",
           visibility=Visibility.PUBLIC, place=place)
    return panel


def _check_quotas(quotas: Sequence[QuotaPlan], size: int) -> None:
    features: dict[str, list[QuotaPlan]] = {}
    for q in quotas:
        if q.min > q.max:
            raise ValidationError({"quotas": _("%(f)s '%(v)s': the minimum %(min)s is above the "
                                               "maximum %(max)s") % {"f": q.feature, "v": q.value,
                                                                      "min": q.min, "max": q.max}})
        features.setdefault(q.feature, []).append(q)
    for feature, rows in features.items():
        if sum(q.min for q in rows) > size or sum(q.max for q in rows) < size:
            raise ValidationError({"quotas": _(
                "%(f)s: the minimums add up to %(lo)s and the maximums to %(hi)s, so no panel of "
                "%(n)s fits; make the minimums add up to at most %(n)s and the maximums to at "
                "least %(n)s") % {"f": feature, "lo": sum(q.min for q in rows),
                                  "hi": sum(q.max for q in rows), "n": size}})


def features_of(panel: Panel) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for q in panel.quotas.all():
        out.setdefault(q.feature, []).append(q.value)
    return out


@transaction.atomic
def invite(actor: User | None, panel: Panel, addresses: Sequence[str], count: int,
           seed: int | None = None) -> list[tuple[str, str, str]]:
    """Choose `count` addresses at random and make a letter code for each: (reference, code,
    address) rows for the mail merge. Codes are shown this once; only their hashes are kept."""
    _require("panels.manage", actor, panel)
    unique = sorted({a.strip() for a in addresses if a.strip()})
    if not 1 <= count <= len(unique):
        raise ValidationError({"count": _("Choose between 1 and %(n)s addresses (the list's size)")
                               % {"n": len(unique)}})
    chosen = random.Random(seed if seed is not None else secrets.randbits(64)).sample(unique, count)  # noqa: S311 (seeded draw of addresses, not a secret)
    start = panel.invitations.count()
    letters = []
    for i, address in enumerate(chosen, start=start + 1):
        code = new_code(groups=2, size=5)
        letters.append((f"P{i:05d}", code, address))
    Invitation.objects.bulk_create([Invitation(panel=panel, reference=ref, code_hash=code_hash(code),
                                               address=address) for ref, code, address in letters])
    record(actor, "panels.invitations", panel, f"Sent {count} invitation letters",
           visibility=Visibility.STAFF, place=panel.place)
    return letters


def _clean_features(panel: Panel, features: Mapping[str, str]) -> dict[str, str]:
    wanted = features_of(panel)
    errors = {}
    for feature, values in wanted.items():
        if features.get(feature) not in values:
            errors[f"feature_{feature}"] = _("Choose one")
    if errors:
        raise ValidationError(errors)
    return {f: features[f] for f in wanted}


@transaction.atomic
def volunteer(actor: User | None, panel: Panel, *, name: str, email: str = "", phone: str = "",
              features: Mapping[str, str], consent: bool, code: str = "",
              address: str = "") -> Volunteer:
    """Someone answers their invitation: online with the letter's code, or by phone to staff
    (who type it in; `actor` is then the staff member and the code is optional)."""
    if panel.stage != PanelStage.RECRUITING:
        raise ValidationError(_("This panel is no longer recruiting"))
    by_staff = actor is not None and actor.is_authenticated and rules.has_perm("panels.manage", actor, panel)
    invitation = None
    if code or not by_staff:
        invitation = (Invitation.objects.select_for_update()
                      .filter(panel=panel, code_hash=code_hash(code)).first())
        if invitation is None or invitation.used:
            raise ValidationError({"code": _("That code is not right or has been used; check your letter")})
    if not name.strip():
        raise ValidationError({"name": _("Enter your name")})
    if not (email.strip() or phone.strip()):
        raise ValidationError({"email": _("Give an email address or a phone number so we can tell you if you are chosen")})
    if not consent:
        raise ValidationError({"consent": _("We can only include you with your consent")})
    clean = _clean_features(panel, features)
    home = invitation.address if invitation else address
    if not home.strip():
        raise ValidationError({"address": _("Enter the address (it keeps one person per household)")})
    v = Volunteer.objects.create(panel=panel, invitation=invitation, name=name.strip(),
                                 email=email.strip(), phone=phone.strip(), features=clean,
                                 household=household_key(home), consent=True,
                                 taken_by=actor if by_staff else None)
    if invitation is not None:
        invitation.used = True
        invitation.save(update_fields=["used"])
    record(actor if by_staff else None, "panels.volunteer", v,
           f"A volunteer joined the pool{' (by phone)' if by_staff else ''}",
           visibility=Visibility.STAFF, place=panel.place)
    return v


@transaction.atomic
def commit_to_seed(actor: User | None, panel: Panel, seed: str = "") -> str:
    """Fix the draw's seed now and publish its SHA-256 commitment; the seed is revealed after."""
    _require("panels.manage", actor, panel)
    if panel.seed_revealed:
        raise ValidationError(_("This panel has been drawn"))
    panel.seed = seed.strip() or sortition_draw.new_seed()
    panel.seed_commitment = sortition_draw.commit_seed(panel.seed)
    panel.save(update_fields=["seed", "seed_commitment"])
    record(actor, "panels.seed.commit", panel, f"Published the seed commitment {panel.seed_commitment}",
           visibility=Visibility.PUBLIC, place=panel.place)
    return panel.seed_commitment


def pool_and_quotas(panel: Panel, volunteers: Sequence[Volunteer] | None = None) -> tuple[Pool, Quotas]:
    people = volunteers if volunteers is not None else list(panel.volunteers.exclude(status=VolunteerStatus.ERASED))
    pool = Pool(tuple(Person(id=str(v.pk), features=v.features, household=v.household or None)
                      for v in people), source=f"panel {panel.slug}")
    quotas = Quotas(tuple(MethodQuota(q.feature, q.value, q.min, q.max) for q in panel.quotas.all()),
                    source=f"panel {panel.slug} quotas")
    return pool, quotas


def _selection_json(s: Selection) -> dict[str, Any]:
    return {"algorithm": s.algorithm, "panel": list(s.panel), "probabilities": s.probabilities,
            "committees": [{"members": list(c.members), "weight": c.weight} for c in s.committees],
            "seed_commitment": s.seed_commitment, "households": s.households}


def start_selection(actor: User, panel: Panel) -> TaskProgress:
    """Queue the draw in the worker; the page follows its progress."""
    from powershift.panels.tasks import select_panel_task

    _require("panels.manage", actor, panel)
    if panel.stage != PanelStage.RECRUITING:
        raise ValidationError(_("This panel has already been drawn"))
    if not panel.seed_commitment:
        raise ValidationError(_("Publish the seed commitment before the draw"))
    with transaction.atomic():
        progress = TaskProgress.objects.create(title=f"Draw the panel: {panel.question}", created_by=actor)
        Panel.objects.filter(pk=panel.pk).update(progress=progress, selection_problem="")
        record(actor, "panels.selection.start", panel, "Started the draw", visibility=Visibility.STAFF,
               place=panel.place)
        transaction.on_commit(lambda: select_panel_task.enqueue(panel.pk, progress.pk))
    return progress


def run_selection(panel: Panel, report: Callable[[float, str], None] | None = None) -> Panel:
    """Draw the panel with the published seed (called by the worker, and by the demo).

    Raises SortitionInputError, with the explanation, when no panel can meet the quotas;
    nothing is saved then."""
    pool, quotas = pool_and_quotas(panel)
    selection = leximin.select(pool, quotas, panel.size, algorithm=panel.algorithm,
                               households=panel.households, seed=panel.seed, progress=report)
    with transaction.atomic():
        chosen = set(selection.panel)
        for v in panel.volunteers.exclude(status=VolunteerStatus.ERASED):
            v.probability = selection.probabilities.get(str(v.pk), 0.0)
            v.status = VolunteerStatus.SELECTED if str(v.pk) in chosen else VolunteerStatus.POOL
            v.save(update_fields=["probability", "status"])
        panel.selection = _selection_json(selection)
        panel.seed_revealed = True
        panel.stage = PanelStage.SELECTED
        panel.save(update_fields=["selection", "seed_revealed", "stage"])
        record(None, "panels.selection.done", panel,
               f"Drew the panel of {panel.size} from {len(pool.people)} volunteers; the seed is now public",
               visibility=Visibility.PUBLIC, place=panel.place)
    return panel


@transaction.atomic
def answer(panel: Panel, volunteer_: Volunteer, *, accept: bool, actor: User | None = None) -> Volunteer:
    """A selected person accepts or declines (by their private link, or through staff)."""
    if actor is not None:
        _require("panels.manage", actor, panel)
    if volunteer_.status not in (VolunteerStatus.SELECTED, VolunteerStatus.ACCEPTED):
        raise ValidationError(_("Only people drawn for the panel can answer"))
    volunteer_.status = VolunteerStatus.ACCEPTED if accept else VolunteerStatus.DECLINED
    volunteer_.save(update_fields=["status"])
    record(actor, "panels.answer", volunteer_, f"A panel member {'accepted' if accept else 'declined'}",
           visibility=Visibility.STAFF, place=panel.place)
    return volunteer_


@transaction.atomic
def draw_replacements(actor: User | None, panel: Panel) -> list[Volunteer]:
    """Replace those who declined from the same fair distribution, so every quota still holds."""
    _require("panels.manage", actor, panel)
    declined = [str(v.pk) for v in panel.volunteers.filter(status=VolunteerStatus.DECLINED)]
    if not declined:
        raise ValidationError(_("Nobody has declined"))
    current = [str(v.pk) for v in panel.volunteers.filter(
        status__in=[VolunteerStatus.SELECTED, VolunteerStatus.ACCEPTED, VolunteerStatus.DECLINED])]
    pool, quotas = pool_and_quotas(panel)
    base = Selection(algorithm=panel.algorithm, panel=tuple(sorted(current)), probabilities={},
                     committees=(), seed=panel.seed, seed_commitment=panel.seed_commitment,
                     households=panel.households)
    round_no = panel.volunteers.filter(replacement=True).count() + 1
    try:
        result = leximin.replace(base, declined, pool, quotas, seed=f"{panel.seed}:replacements:{round_no}")
    except SortitionInputError as e:
        raise ValidationError(str(e)) from e
    new = sorted(set(result.panel) - set(current))
    people = list(panel.volunteers.filter(pk__in=[int(i) for i in new]))
    for v in people:
        v.status, v.replacement = VolunteerStatus.SELECTED, True
        v.save(update_fields=["status", "replacement"])
    record(actor, "panels.replacements", panel, f"Drew {len(people)} replacements",
           visibility=Visibility.PUBLIC, place=panel.place)
    return people


@transaction.atomic
def advance(actor: User | None, panel: Panel, to: str) -> Panel:
    _require("panels.manage", actor, panel)
    if to not in STAGE_ORDER or STAGE_ORDER.index(to) <= STAGE_ORDER.index(panel.stage) or to == PanelStage.SELECTED:
        raise ValidationError(_("A panel only moves forward, and is drawn by the lottery"))
    panel.stage = to
    panel.save(update_fields=["stage"])
    record(actor, "panels.stage", panel, f"{panel.question}: {PanelStage(to).label}",
           visibility=Visibility.PUBLIC, place=panel.place)
    if to == PanelStage.ENDED:
        from powershift.panels.tasks import erase_pool_task

        transaction.on_commit(lambda: erase_pool_task.enqueue(panel.pk))
    return panel


@transaction.atomic
def add_meeting(actor: User, panel: Panel, *, date: dt.date, title: str, materials: str) -> Meeting:
    _require("panels.manage", actor, panel)
    m = Meeting.objects.create(panel=panel, date=date, title=title, materials=materials)
    record(actor, "panels.meeting", m, f"Meeting: {title}", visibility=Visibility.PUBLIC, place=panel.place)
    return m


@transaction.atomic
def add_recommendation(actor: User | None, panel: Panel, *, text: str, votes_for: int,
                       votes_against: int, votes_abstain: int = 0) -> Recommendation:
    """Record a recommendation as the panel voted it."""
    _require("panels.manage", actor, panel)
    if votes_for + votes_against + votes_abstain > panel.size:
        raise ValidationError({"votes_for": _("More votes than panel members (%(n)s)") % {"n": panel.size}})
    if not text.strip():
        raise ValidationError({"text": _("Write the recommendation")})
    number = panel.recommendations.count() + 1
    r = Recommendation.objects.create(panel=panel, number=number, text=text.strip(), votes_for=votes_for,
                                      votes_against=votes_against, votes_abstain=votes_abstain)
    record(actor, "panels.recommendation", r, f"Recommendation {number}", visibility=Visibility.PUBLIC,
           place=panel.place)
    return r


@transaction.atomic
def respond(actor: User | None, recommendation: Recommendation, *, status: str, response: str) -> Recommendation:
    """The public body's published answer to a recommendation."""
    _require("panels.respond", actor, recommendation.panel)
    if status not in ResponseStatus.values or status == ResponseStatus.WAITING:
        raise ValidationError({"status": _("Say whether it is accepted")})
    if not response.strip():
        raise ValidationError({"response": _("Explain the answer; it is published")})
    recommendation.response_status, recommendation.response = status, response.strip()
    recommendation.responded_by, recommendation.responded_at = actor, timezone.now()
    recommendation.save()
    record(actor, "panels.response", recommendation,
           f"Answered recommendation {recommendation.number}: {recommendation.get_response_status_display()}",
           visibility=Visibility.PUBLIC, place=recommendation.panel.place)
    return recommendation


@transaction.atomic
def post_progress(actor: User | None, recommendation: Recommendation, text: str) -> ProgressUpdate:
    _require("panels.respond", actor, recommendation.panel)
    if not text.strip():
        raise ValidationError({"text": _("Say what has happened")})
    u = ProgressUpdate.objects.create(recommendation=recommendation, text=text.strip())
    record(actor, "panels.progress", recommendation, f"Progress on recommendation {recommendation.number}",
           visibility=Visibility.PUBLIC, place=recommendation.panel.place)
    return u


@transaction.atomic
def erase_unselected(panel: Panel) -> int:
    """Retention: when a panel ends, the pool's personal data goes, except the panel's own
    members. Features and probabilities stay (anonymous) so the draw can still be checked."""
    gone = panel.volunteers.exclude(status__in=[VolunteerStatus.ACCEPTED, VolunteerStatus.SELECTED,
                                                VolunteerStatus.ERASED])
    n = gone.update(name="", email="", phone="", household="", status=VolunteerStatus.ERASED)
    panel.invitations.update(address="")
    Panel.objects.filter(pk=panel.pk).update(pool_erased_at=timezone.now())
    record(None, "panels.retention", panel, f"Erased the details of {n} volunteers not on the panel",
           visibility=Visibility.PUBLIC, place=panel.place)
    return n
