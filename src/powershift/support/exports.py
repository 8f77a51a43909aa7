"""A support record as JSON-ready data: the subject-access export (JSON and readable HTML) and
the person's part of "download my data"."""

from __future__ import annotations

from typing import Any

from powershift.methods.wellbeing import ons4_bands
from powershift.support import queries
from powershift.support.models import Person


def _d(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def person_data(person: Person) -> dict[str, Any]:
    plan = getattr(person, "plan", None)
    return {
        "about": {
            "preferred_name": person.preferred_name, "full_name": person.full_name,
            "communities": person.communities, "strengths": person.strengths,
            "what_matters": person.what_matters, "good_day": person.good_day,
            "aspirations": person.aspirations,
            "keyworker": person.keyworker.display_name if person.keyworker else None,
            "created": _d(person.created_at), "discharged_on": _d(person.discharged_on),
        },
        "team": [{"name": m.user.display_name, "agency": m.organisation.name, "role": m.role,
                  "since": _d(m.added_at)} for m in queries.team(person)],
        "consents": [{"organisation": c.organisation.name, "purpose": c.get_purpose_display(),
                      "from": _d(c.starts_on), "until": _d(c.expires_on),
                      "withdrawn": _d(c.withdrawn_at), "current": c.is_current}
                     for c in queries.consents(person)],
        "contacts": [{"on": _d(c.happened_on), "agency": c.organisation.name, "kind": c.get_kind_display(),
                      "assessment": c.assessment, "note": c.note,
                      "by": c.author.display_name if c.author else None} for c in queries.contacts(person)],
        "plan": None if plan is None else {
            "review_on": _d(plan.review_on),
            "goals": [{"goal": g.text, "action": g.action, "who": g.who, "review_on": _d(g.review_on),
                       "ratings": [{"on": _d(r.rated_on), "rating": r.rating, "by_person": r.by_person}
                                   for r in g.ratings.all()]} for g in queries.goals(person)],
        },
        "referrals": [{"service": r.service.name, "group": r.organisation.name, "status": r.get_status_display(),
                       "note": r.note, "reason": r.reason, "note_back": r.note_back, "sent": _d(r.sent_at),
                       "first_attended_on": _d(r.first_attended_on),
                       "events": [{"what": e.label, "snomed_ct": e.snomed or None, "at": _d(e.at)}
                                  for e in r.events.all()]} for r in queries.referrals(person)],
        "wellbeing_ons4": [{"on": _d(o.taken_on), "answers": o.answers, "bands": ons4_bands(o.answers)}
                           for o in person.outcomes.filter(instrument__isnull=True)],
        "other_outcomes": [{"on": _d(o.taken_on), "scale": o.instrument.name if o.instrument else "",
                            "answers": o.answers, "raw": o.raw, "score": o.score}
                           for o in queries.instrument_rows(person)],
        "who_looked": [{"when": _d(e.created_at), "who": e.actor.display_name if e.actor else "system",
                        "what": e.summary} for e in queries.access_log(person)],
    }
