"""Who may do what in budget rounds. Roles held for a place cover the places inside it."""

from __future__ import annotations

import rules

from powershift.budgets.models import Project, Round
from powershift.core.models import Role, User
from powershift.core.permissions import holds_org_role, holds_role, is_superuser

ROUND_MANAGERS = frozenset({Role.FACILITATOR, Role.ADMINISTRATOR})
# Staff who review feasibility, check voters at venues and key paper ballots.
ROUND_STAFF = frozenset({Role.SERVICE_STAFF, Role.FACILITATOR, Role.ADMINISTRATOR,
                         Role.COMMISSIONER})


def _round_of(obj: Round | Project | None) -> Round | None:
    return obj.round if isinstance(obj, Project) else obj


@rules.predicate
def manages_round(user: User, obj: Round | Project | None) -> bool:
    r = _round_of(obj)
    return r is not None and holds_role(user, ROUND_MANAGERS, r.place)


@rules.predicate
def is_round_staff(user: User, obj: Round | Project | None) -> bool:
    r = _round_of(obj)
    return r is not None and holds_role(user, ROUND_STAFF, r.place)


@rules.predicate
def is_project_owner(user: User, project: Project | None) -> bool:
    if project is None or not user.is_authenticated:
        return False
    if project.proposer_id == user.pk:
        return True
    return project.organisation is not None and holds_org_role(
        user, [Role.ORG_LEADER, Role.ORG_MEMBER], project.organisation)


@rules.predicate
def may_create_rounds(user: User) -> bool:
    return holds_role(user, ROUND_MANAGERS, None)


rules.add_perm("budgets.create_round", may_create_rounds | is_superuser)
rules.add_perm("budgets.manage_round", manages_round | is_superuser)
rules.add_perm("budgets.review_project", is_round_staff | is_superuser)
rules.add_perm("budgets.check_voters", is_round_staff | is_superuser)
rules.add_perm("budgets.revise_project", is_project_owner)
rules.add_perm("budgets.post_update", is_project_owner | is_round_staff | is_superuser)
