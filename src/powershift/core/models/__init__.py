from powershift.core.models.accounts import Organisation, Role, RoleAssignment, User
from powershift.core.models.audit import AuditEvent, Visibility
from powershift.core.models.places import Place, PlaceKind, PlaceStatus
from powershift.core.models.tasks import DailyRun, TaskProgress

__all__ = [
    "AuditEvent",
    "DailyRun",
    "Organisation",
    "Place",
    "PlaceKind",
    "PlaceStatus",
    "Role",
    "RoleAssignment",
    "TaskProgress",
    "User",
    "Visibility",
]
