"""Measures' part of "download my data" and "delete my account".

Erasure anonymises: a story stays published without the teller's name (unless they asked, when
telling it, for their stories to go with their account); observations stay in the measure's
record without who entered them; log book entries stay with the team without their author.
"""

from __future__ import annotations

from typing import Any

from powershift.core import privacy
from powershift.core.models import User
from powershift.measures.models import Consent, Endorsement, LogEntry, Measure, Observation, Story


def export(user: User) -> dict[str, Any]:
    return {
        "stories": [{"title": s.title, "what_happened": s.what_happened, "difference": s.difference,
                     "who_helped": s.who_helped, "consent": s.consent, "published_as": s.byline,
                     "status": s.status, "moderation_reason": s.moderation_reason,
                     "remove_when_account_deleted": s.remove_on_erasure,
                     "told_on": s.created_at.isoformat()}
                    for s in Story.objects.filter(teller=user)],
        "measures_proposed": [{"title": m.title, "place": m.place.code, "status": m.status}
                              for m in Measure.objects.filter(proposed_by=user).select_related("place")],
        "endorsed": [e.measure.title for e in Endorsement.objects.filter(user=user).select_related("measure")],
        "observations": [{"measure": o.measure.title, "value": str(o.value), "observed_on": o.observed_on.isoformat(),
                          "collector": o.collector, "how": o.how, "note": o.note}
                         for o in Observation.objects.filter(entered_by=user).select_related("measure")],
        "log_book": [{"team": e.team.name, "on": e.on.isoformat(), "what_we_did": e.what_we_did,
                      "what_happened": e.what_happened, "what_we_learned": e.what_we_learned}
                     for e in LogEntry.objects.filter(author=user).select_related("team")],
    }


def erase(user: User) -> None:
    Story.objects.filter(teller=user, remove_on_erasure=True).delete()
    Story.objects.filter(teller=user).update(teller=None, teller_name="", consent=Consent.ANONYMOUS)
    Observation.objects.filter(entered_by=user).update(entered_by=None, collector="")
    LogEntry.objects.filter(author=user).update(author=None)
    Endorsement.objects.filter(user=user).update(user=None)
    user.practice_teams.clear()


privacy.register("measures", export=export, erase=erase)
