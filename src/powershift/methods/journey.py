"""A person's journey through services: who saw them, how often they were handed on, how
often they were assessed again, and what the contacts cost. Plain Python, no Django.

Costs are whole pence from unit costs the team sets (per kind of contact, optionally per agency).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

YEAR = dt.timedelta(days=365)


@dataclass(frozen=True)
class Contact:
    on: dt.date
    agency: str
    kind: str
    assessment: str = ""  # the assessment's name when kind is an assessment


@dataclass(frozen=True)
class HandOff:
    on: dt.date
    from_agency: str
    to_agency: str


@dataclass
class PassedAround:
    agencies: list[tuple[str, int]]  # (agency, contacts), most contacts first
    hand_offs: list[HandOff]
    repeated_assessments: list[tuple[str, int, list[str]]]  # (name, times, agencies) in the last year
    contacts_last_year: int
    cost_pence: int
    uncosted: list[str] = field(default_factory=list)  # kinds with no unit cost set

    @property
    def cost_pounds(self) -> str:
        """'1,234.50': exact, from whole pence."""
        return f"{self.cost_pence // 100:,}.{self.cost_pence % 100:02d}"

    @property
    def assessments_repeated(self) -> int:
        return sum(times - 1 for _, times, _ in self.repeated_assessments)


def unit_cost(costs: Mapping[tuple[str, str], int], agency: str, kind: str) -> int | None:
    """The agency's own cost for this kind of contact, else the default (agency '')."""
    if (agency, kind) in costs:
        return costs[(agency, kind)]
    return costs.get(("", kind))


def passed_around(contacts: Sequence[Contact], costs: Mapping[tuple[str, str], int],
                  today: dt.date, *, assessment_kind: str = "assessment") -> PassedAround:
    """Summarise the journey. A hand-off is a contact with a different agency from the one
    before; an assessment is repeated when the same assessment was done more than once in the
    last year (by any agency); the cost counts contacts in the last year."""
    ordered = sorted(contacts, key=lambda c: (c.on, c.agency, c.kind, c.assessment))
    counts = Counter(c.agency for c in ordered)
    agencies = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    hand_offs = [HandOff(b.on, a.agency, b.agency) for a, b in zip(ordered, ordered[1:], strict=False)
                 if a.agency != b.agency]
    since = today - YEAR
    recent = [c for c in ordered if since <= c.on <= today]
    by_assessment: dict[str, list[str]] = {}
    for c in recent:
        if c.kind == assessment_kind:
            by_assessment.setdefault(c.assessment.strip().lower() or "assessment", []).append(c.agency)
    repeated = sorted(((name, len(who), sorted(set(who))) for name, who in by_assessment.items()
                       if len(who) > 1), key=lambda r: (-r[1], r[0]))
    total, missing = 0, set()
    for c in recent:
        cost = unit_cost(costs, c.agency, c.kind)
        if cost is None:
            missing.add(c.kind)
        else:
            total += cost
    return PassedAround(agencies, hand_offs, repeated, len(recent), total, sorted(missing))
