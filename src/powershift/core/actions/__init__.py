"""Core's action functions: the only code that changes core's state.

Each checks permission, validates, writes in one transaction and appends an audit record.
"""

from powershift.core.actions.accounts import (
    erase_account,
    export_account,
    sign_up,
    update_profile,
)
from powershift.core.actions.places import (
    import_places,
    propose_natural_neighbourhood,
    review_place,
)
from powershift.core.actions.roles import assign_role, revoke_role

__all__ = [
    "assign_role",
    "erase_account",
    "export_account",
    "import_places",
    "propose_natural_neighbourhood",
    "review_place",
    "revoke_role",
    "sign_up",
    "update_profile",
]
