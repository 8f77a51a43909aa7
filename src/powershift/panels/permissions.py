"""Who may do what with citizens' panels. The pool's personal data is for facilitators only."""

from __future__ import annotations

import rules

from powershift.core.models import Place, Role, User
from powershift.core.permissions import holds_role, is_superuser
from powershift.panels.models import Panel

RUNNERS = frozenset({Role.FACILITATOR, Role.ADMINISTRATOR})
ANSWERERS = frozenset({Role.COMMISSIONER, Role.ADMINISTRATOR})


@rules.predicate
def runs_panels_in(user: User, place: Place | None) -> bool:
    return holds_role(user, RUNNERS, place)


@rules.predicate
def runs_panel(user: User, panel: Panel | None) -> bool:
    return panel is not None and holds_role(user, RUNNERS, panel.place)


@rules.predicate
def answers_for(user: User, panel: Panel | None) -> bool:
    return panel is not None and holds_role(user, ANSWERERS, panel.place)


rules.add_perm("panels.run_panel_in", runs_panels_in | is_superuser)
rules.add_perm("panels.manage", runs_panel | is_superuser)
rules.add_perm("panels.respond", answers_for | is_superuser)
