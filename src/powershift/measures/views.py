"""Measures, stories and practice pages: thin, parse the request, call an action or a query, render."""

from __future__ import annotations

import csv
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powershift.core.forms import submitted
from powershift.core.models import Organisation, Place
from powershift.core.types import AuthedRequest
from powershift.measures import actions, forms, queries
from powershift.measures.models import (
    ChecklistMark,
    Deck,
    Draw,
    LogEntry,
    Measure,
    MeasureStatus,
    Plan,
    Story,
    StoryStatus,
    Team,
    Theme,
)
from powershift.methods import trends

NAV = "measures"


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"measures/{template}", {"nav": NAV, **context})


def _allow(request: HttpRequest, perm: str, obj: object = None) -> None:
    if not rules.has_perm(perm, request.user, obj):
        raise PermissionDenied


def index(request: HttpRequest) -> HttpResponse:
    return _page(request, "index.html", {
        "places": queries.measures_by_place(),
        "stories": queries.published_stories()[:3],
        "can_import": rules.has_perm("measures.import_indicators", request.user),
        "can_moderate": rules.has_perm("measures.moderate_stories", request.user),
    })


# Measures ------------------------------------------------------------------------------------

@login_required
def propose(request: AuthedRequest) -> HttpResponse:
    _allow(request, "measures.propose")
    orgs = Organisation.objects.filter(role_assignments__user=request.user).distinct()
    form = forms.ProposeMeasureForm(request.POST or None, organisations=orgs,
                                    initial={"place": request.GET.get("place")})
    made: list[Measure] = []
    if submitted(request, form, lambda d: made.append(actions.propose_measure(request.user, **d)),
                 _("Your measure is proposed. Ask your neighbours to endorse it.")):
        return redirect(made[0])
    return _page(request, "propose.html", {"form": form})


def _measure(slug: str) -> Measure:
    return get_object_or_404(Measure.objects.select_related("place", "beside", "organisation"), slug=slug)


def measure(request: HttpRequest, slug: str) -> HttpResponse:
    m = _measure(slug)
    pts = queries.points(m)
    notes = [(a.on, a.text) for a in m.annotations.all()]
    series = [(m.title, pts)]
    official = queries.indicator_points(m.beside, m.place) if m.beside else []
    user = request.user
    endorsed = user.is_authenticated and m.endorsements.filter(user_id=user.pk).exists()
    return _page(request, "measure.html", {
        "measure": m, "trend": trends.trend(pts, m.better), "chart": queries.chart(series, notes),
        "observations": m.observations.order_by("-observed_on", "-id")[:400],
        "annotations": m.annotations.all(),
        "official": official, "official_chart": queries.chart([(str(m.beside), official)]) if official else None,
        "stories": m.stories.filter(status=StoryStatus.PUBLISHED)[:10],
        "endorsements": m.endorsements.count(), "endorsed": endorsed,
        "endorse_form": forms.EndorseForm(place=m.place),
        "can_agree": m.status == MeasureStatus.PROPOSED and rules.has_perm("measures.agree", user, m),
        "can_annotate": rules.has_perm("measures.annotate", user, m),
    })


@login_required
@require_POST
def endorse(request: AuthedRequest, slug: str) -> HttpResponse:
    m = _measure(slug)
    form = forms.EndorseForm(request.POST, place=m.place)
    form.is_valid()
    try:
        actions.endorse(request.user, m, connected=bool(form.cleaned_data.get("connected")))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Thank you: your endorsement is counted"))
    return redirect(m)


@login_required
def agree(request: AuthedRequest, slug: str) -> HttpResponse:
    m = _measure(slug)
    _allow(request, "measures.agree", m)
    form = forms.AgreeForm(request.POST or None)
    if submitted(request, form, lambda d: actions.agree(request.user, m, **d),
                 _("Recorded: the community has agreed this measure")):
        return redirect(m)
    return _page(request, "agree.html", {"form": form, "measure": m})


@login_required
def record(request: AuthedRequest, slug: str) -> HttpResponse:
    m = _measure(slug)
    _allow(request, "measures.record", m)
    form = forms.ObservationForm(request.POST or None, measure=m)
    if submitted(request, form, lambda d: actions.record_observation(request.user, m, **d),
                 _("Recorded. Thank you.")):
        return redirect("measures:record", m.slug)
    return _page(request, "record.html", {"form": form, "measure": m,
                                          "recent": m.observations.order_by("-entered_at", "-id")[:5]})


@login_required
def annotate(request: AuthedRequest, slug: str) -> HttpResponse:
    m = _measure(slug)
    _allow(request, "measures.annotate", m)
    form = forms.AnnotationForm(request.POST or None)
    if submitted(request, form, lambda d: actions.annotate(request.user, m, **d), _("Note added to the chart")):
        return redirect(m)
    return _page(request, "annotate.html", {"form": form, "measure": m})


def _cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula (a title could start with '=')."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export(request: HttpRequest, slug: str) -> HttpResponse:
    m = _measure(slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{m.slug}.csv"'
    out = csv.writer(response)
    out.writerow(["measure", "place", "observed_on", "value", "unit", "how", "entered_on"])
    for o in m.observations.order_by("observed_on", "id"):
        out.writerow([_cell(m.title), m.place.code, o.observed_on.isoformat(), format(o.value.normalize(), "f"),
                      _cell(m.unit), o.how, o.entered_at.date().isoformat()])
    return response


def places(request: HttpRequest) -> HttpResponse:
    return _page(request, "places.html", {"places": queries.places_with_figures()})


def place(request: HttpRequest, code: str) -> HttpResponse:
    p = get_object_or_404(Place, code=code)
    return _page(request, "place.html", {
        "place": p, "measures": queries.place_measures(p), "indicators": queries.place_indicators(p),
        "stories": queries.published_stories(place=p.code)[:5]})


@login_required
def import_indicators(request: AuthedRequest) -> HttpResponse:
    _allow(request, "measures.import_indicators")
    form = forms.ImportIndicatorsForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        try:
            text = upload.read().decode("utf-8-sig")
            summary = actions.import_indicators(request.user, text, source=upload.name,
                                                source_name=form.cleaned_data["source_name"])
        except UnicodeDecodeError:
            form.add_error("upload", _("The file is not UTF-8 text; save it as CSV UTF-8 and try again"))
        except actions.IndicatorImportError as e:
            problems = e.problems
            form.add_error("upload", str(e))
        else:
            messages.success(request, _("Imported %(rows)s figures: %(new)s new, %(updated)s updated")
                             % {"rows": summary.rows, "new": summary.created, "updated": summary.updated})
            return redirect("measures:import-indicators")
    return _page(request, "import.html", {"form": form, "problems": problems[:50]})


# Stories -------------------------------------------------------------------------------------

def stories(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    cap = request.GET.get("capability", "")
    found = queries.published_stories(q=q, place=request.GET.get("place", ""), theme=request.GET.get("theme", ""),
                                      capability=int(cap) if cap.isdigit() else None,
                                      round=request.GET.get("round", ""))
    return _page(request, "stories.html", {
        "stories": found[:60], "q": q, "themes": Theme.objects.all(), "theme": request.GET.get("theme", ""),
        "capabilities": queries.current_framework().capabilities.exclude(title=""), "capability": cap,
        "plans": Plan.objects.annotate(n=Count("pins")).filter(n__gt=0).order_by("title"),
        "rounds": queries.rounds_with_pins(),
        "places": Place.objects.filter(stories__status=StoryStatus.PUBLISHED).distinct().order_by("name"),
        "place": request.GET.get("place", ""),
        "can_moderate": rules.has_perm("measures.moderate_stories", request.user)})


@login_required
def tell(request: AuthedRequest) -> HttpResponse:
    _allow(request, "measures.tell_story")
    written = queries.current_framework().capabilities.exclude(title="")
    form = forms.TellStoryForm(request.POST or None, capabilities=written)
    made: list[Story] = []
    if submitted(request, form, lambda d: made.append(actions.tell_story(request.user, **d)),
                 _("Thank you for your story. A facilitator will read it before it is published.")):
        return redirect(made[0])
    return _page(request, "tell.html", {"form": form})


def _story(request: HttpRequest, pk: int) -> Story:
    s = get_object_or_404(Story, pk=pk)
    moderator = rules.has_perm("measures.moderate_stories", request.user)
    if not queries.may_see_story(request.user, s, moderator=moderator):  # type: ignore[arg-type]
        raise Http404
    return s


def story(request: HttpRequest, pk: int) -> HttpResponse:
    s = _story(request, pk)
    return _page(request, "story.html", {
        "story": s, "pins": s.pins.select_related("round", "plan"),
        "can_pin": s.status == StoryStatus.PUBLISHED and rules.has_perm("measures.pin", request.user),
        "can_moderate": s.status == StoryStatus.PENDING and rules.has_perm("measures.moderate_stories", request.user)})


def story_card(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "measures/story_card.html", {"story": _story(request, pk)})


@login_required
def moderate_queue(request: AuthedRequest) -> HttpResponse:
    _allow(request, "measures.moderate_stories")
    return _page(request, "moderate.html", {
        "queue": Story.objects.filter(status=StoryStatus.PENDING).order_by("created_at", "id")})


@login_required
def moderate_story(request: AuthedRequest, pk: int) -> HttpResponse:
    _allow(request, "measures.moderate_stories")
    s = get_object_or_404(Story, pk=pk)
    form = forms.ModerateStoryForm(request.POST or None)
    if submitted(request, form, lambda d: actions.moderate_story(
            request.user, s, publish=d["decision"] == "publish", reason=d["reason"], rounds=d["rounds"],
            recommendations=d["recommendations"]),
                 _("Decision recorded")):
        return redirect("measures:moderate")
    return _page(request, "moderate_story.html", {"form": form, "story": s})


@login_required
def pin(request: AuthedRequest, pk: int) -> HttpResponse:
    _allow(request, "measures.pin")
    s = get_object_or_404(Story, pk=pk, status=StoryStatus.PUBLISHED)
    form = forms.PinForm(request.POST or None)
    if submitted(request, form, lambda d: actions.pin_story(request.user, s, **d), _("Story pinned")):
        return redirect(s)
    return _page(request, "pin.html", {"form": form, "story": s})


def plan(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(Plan, pk=pk)
    return _page(request, "plan.html", {"plan": p, "pins": p.pins.filter(
        story__status=StoryStatus.PUBLISHED).select_related("story")})


# Practice ------------------------------------------------------------------------------------

def practice(request: HttpRequest) -> HttpResponse:
    fw = queries.current_framework()
    return _page(request, "practice.html", {
        "framework": fw, "capabilities": fw.capabilities.all(), "teams": queries.teams_of(request.user),  # type: ignore[arg-type]
        "shared": queries.shared_entries()[:10] if request.user.is_authenticated else [],
        "checklist": queries.shipped().checklist,
        "can_edit": rules.has_perm("measures.edit_framework", request.user),
        "can_start": rules.has_perm("measures.start_team", request.user),
        "starter": Deck.objects.filter(team=None).order_by("id").first()})


def framework_versions(request: HttpRequest) -> HttpResponse:
    from powershift.measures.models import Framework

    fw = queries.current_framework()
    return _page(request, "framework.html", {
        "framework": fw, "versions": Framework.objects.filter(name=fw.name).prefetch_related("capabilities")})


@login_required
def edit_framework(request: AuthedRequest) -> HttpResponse:
    _allow(request, "measures.edit_framework")
    fw = queries.current_framework()
    form = forms.FrameworkForm(request.POST or None, framework=fw)
    if submitted(request, form, lambda d: actions.edit_framework(request.user, fw, form.texts()),
                 _("Saved as a new version; the earlier versions are kept")):
        return redirect("measures:framework")
    return _page(request, "edit_framework.html", {"form": form, "framework": fw})


def deck(request: HttpRequest, pk: int) -> HttpResponse:
    d = get_object_or_404(Deck, pk=pk)
    if d.team is not None and not rules.has_perm("measures.use_team", request.user, d.team):
        raise PermissionDenied
    fw = queries.current_framework()
    return _page(request, "deck.html", {"deck": d, "cards": d.cards.all(),
                                        "capabilities": {c.number: c for c in fw.capabilities.all()}})


@login_required
def start_team(request: AuthedRequest) -> HttpResponse:
    _allow(request, "measures.start_team")
    form = forms.StartTeamForm(request.POST or None)
    made: list[Team] = []
    if submitted(request, form, lambda d: made.append(actions.start_team(request.user, **d)), _("Team started")):
        return redirect(made[0])
    return _page(request, "start_team.html", {"form": form})


def _team(request: HttpRequest, slug: str) -> Team:
    t = get_object_or_404(Team, slug=slug)
    if not rules.has_perm("measures.use_team", request.user, t):
        raise PermissionDenied
    return t


@login_required
def team(request: AuthedRequest, slug: str) -> HttpResponse:
    t = _team(request, slug)
    charts, quarters = queries.assessment_charts(t)
    fw = queries.current_framework()
    return _page(request, "team.html", {
        "team": t, "members": t.memberships.select_related("user").order_by("-is_lead", "user__full_name"),
        "log": t.log.select_related("card", "author")[:50], "draws": t.draws.select_related("card")[:5],
        "charts": charts, "quarters": quarters, "decks": queries.decks_for(t),
        "capabilities": {c.number: c for c in fw.capabilities.all()},
        "assessments": t.assessments.select_related("framework").prefetch_related("scores__capability"),
        "can_manage": rules.has_perm("measures.manage_team", request.user, t),
        "member_form": forms.AddMemberForm()})


@login_required
def add_member(request: AuthedRequest, slug: str) -> HttpResponse:
    t = _team(request, slug)
    _allow(request, "measures.manage_team", t)
    form = forms.AddMemberForm(request.POST or None)
    if submitted(request, form, lambda d: actions.add_member(request.user, t, **d), _("Added to the team")):
        return redirect(t)
    return _page(request, "add_member.html", {"form": form, "team": t})


@login_required
def draw(request: AuthedRequest, slug: str) -> HttpResponse:
    t = _team(request, slug)
    form = forms.DrawForm(request.POST or None, decks=queries.decks_for(t))
    made: list[Draw] = []
    if submitted(request, form, lambda d: made.append(actions.draw_card(request.user, t, **d)), _("Card drawn")):
        return redirect("measures:log", t.slug, made[0].pk)
    return _page(request, "draw.html", {"form": form, "team": t})


@login_required
def log(request: AuthedRequest, slug: str, draw_id: int | None = None) -> HttpResponse:
    t = _team(request, slug)
    fw = queries.current_framework()
    drawn = get_object_or_404(Draw, pk=draw_id, team=t) if draw_id else None
    initial = {"capability": drawn.card.capability, "community": drawn.community} if drawn else {}
    form = forms.LogEntryForm(request.POST or None, framework=fw, initial=initial)
    if submitted(request, form, lambda d: actions.write_log_entry(
            request.user, t, card=drawn.card if drawn else None, **d), _("Added to the log book")):
        return redirect(t)
    return _page(request, "log.html", {"form": form, "team": t, "drawn": drawn,
                                       "capability": fw.capabilities.filter(number=drawn.card.capability).first()
                                       if drawn else None})


@login_required
@require_POST
def share(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    t = _team(request, slug)
    entry = get_object_or_404(LogEntry, pk=pk, team=t)
    actions.share_entry(request.user, entry, shared=request.POST.get("shared") == "1")
    messages.success(request, _("Shared beyond the team") if entry.shared else _("Now private to the team"))
    return redirect(t)


@login_required
def load_deck(request: AuthedRequest, slug: str) -> HttpResponse:
    t = _team(request, slug)
    form = forms.LoadDeckForm(request.POST or None, request.FILES or None)
    made: list[Deck] = []

    def act(d: dict[str, Any]) -> None:
        upload = d["upload"]
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"upload": _("The file is not UTF-8 text; save it as CSV UTF-8")}) from None
        made.append(actions.load_deck(request.user, t, name=d["name"], csv_text=text, source=upload.name))

    if submitted(request, form, act, _("Deck loaded")):
        return redirect("measures:deck", made[0].pk)
    return _page(request, "load_deck.html", {"form": form, "team": t})


@login_required
def write_card(request: AuthedRequest, pk: int) -> HttpResponse:
    d = get_object_or_404(Deck, pk=pk, team__isnull=False)
    _allow(request, "measures.use_team", d.team)
    form = forms.CardForm(request.POST or None, framework=queries.current_framework())
    if submitted(request, form, lambda c: actions.write_card(request.user, d, **c), _("Card added")):
        return redirect("measures:deck", d.pk)
    return _page(request, "write_card.html", {"form": form, "deck": d})


@login_required
def assess(request: AuthedRequest, slug: str) -> HttpResponse:
    t = _team(request, slug)
    fw = queries.current_framework()
    caps = [c for c in fw.capabilities.all() if c.title]
    form = forms.AssessmentForm(request.POST or None, capabilities=caps)
    if submitted(request, form, lambda d: actions.self_assess(
            request.user, t, fw, year=d["year"], quarter=d["quarter"], scores=form.scores()),
                 _("Self-assessment saved")):
        return redirect(t)
    return _page(request, "assess.html", {"form": form, "team": t, "framework": fw})


def checklist(request: HttpRequest, code: str) -> HttpResponse:
    p = get_object_or_404(Place, code=code)
    marks = {(m.group, m.item): m for m in ChecklistMark.objects.filter(place=p)}
    groups = [(g, [(n, text, marks.get((g.group, n))) for n, text in enumerate(g.items, start=1)])
              for g in queries.shipped().checklist]
    return _page(request, "checklist.html", {
        "place": p, "groups": groups, "can_mark": rules.has_perm("measures.mark_checklist", request.user, p)})


@login_required
def mark(request: AuthedRequest, code: str, group: str, item: int) -> HttpResponse:
    p = get_object_or_404(Place, code=code)
    _allow(request, "measures.mark_checklist", p)
    g = next((g for g in queries.shipped().checklist if g.group == group), None)
    if g is None or not 1 <= item <= len(g.items):
        raise Http404
    existing = ChecklistMark.objects.filter(place=p, group=group, item=item).first()
    form = forms.ChecklistForm(request.POST or None, initial={"mark": existing.mark, "evidence": existing.evidence}
                               if existing else None)
    if submitted(request, form, lambda d: actions.mark_checklist(
            request.user, p, group=group, item=item, groups=queries.checklist_sizes(), **d), _("Marked")):
        return redirect("measures:checklist", p.code)
    return _page(request, "mark.html", {"form": form, "place": p, "group": g, "item": item,
                                        "text": g.items[item - 1]})

