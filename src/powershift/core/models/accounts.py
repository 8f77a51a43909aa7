"""People, organisations and the roles they hold."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        # People type their email address in any case; addresses are stored in lower case.
        return self.get(email__iexact=username)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with their email address; addressed by the name they choose."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_name = models.CharField(
        _("what you like to be called"), max_length=100, blank=True
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name or str(_("Former member"))

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.display_name


class Organisation(models.Model):
    """A community organisation, voluntary group or public service."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    place = models.ForeignKey(
        "core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    charity_number = models.CharField(max_length=20, blank=True)
    is_public_service = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    ORG_MEMBER = "org_member", _("Community organisation member")
    ORG_LEADER = "org_leader", _("Community organisation leader")
    LINK_WORKER = "link_worker", _("Link worker")
    KEYWORKER = "keyworker", _("Keyworker")
    SERVICE_STAFF = "service_staff", _("Service staff")
    COMMISSIONER = "commissioner", _("Commissioner")
    FACILITATOR = "facilitator", _("Facilitator")
    ADMINISTRATOR = "administrator", _("Administrator")


ORGANISATION_ROLES = frozenset({Role.ORG_MEMBER, Role.ORG_LEADER})


class RoleAssignment(models.Model):
    """One role held by one person, scoped to a place (and everything in it) or an organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=30, choices=Role.choices)
    place = models.ForeignKey(
        "core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.CheckConstraint(
                name="role_scoped_to_place_or_organisation",
                condition=(
                    Q(role__in=ORGANISATION_ROLES, organisation__isnull=False, place__isnull=True)
                    | (~Q(role__in=ORGANISATION_ROLES) & Q(place__isnull=False, organisation__isnull=True))
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "place"], name="one_role_per_place",
                condition=Q(place__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"], name="one_role_per_organisation",
                condition=Q(organisation__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        scope = self.place or self.organisation
        return f"{self.get_role_display()} — {scope}"
