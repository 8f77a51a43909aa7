"""The six modules, as the navigation and the home page show them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Module:
    slug: str
    name: str | Promise
    summary: str | Promise
    coming: str | Promise
    url_name: str | None = None  # the module's own start page, once it is built

    @property
    def href(self) -> str:
        return reverse(self.url_name) if self.url_name else reverse("core:module", args=[self.slug])


MODULES: tuple[Module, ...] = (
    Module(
        "budgets",
        _("Budgets and grants"),
        _("Propose projects and vote on how money is spent in your area."),
        _(
            "Participatory budget rounds and community grant-making: residents and groups propose, "
            "staff check feasibility in public, and residents vote. Votes are counted by the Method "
            "of Equal Shares, so every group of residents gets a fair share, with an explanation of "
            "every result."
        ),
        url_name="budgets:index",
    ),
    Module(
        "panels",
        _("Citizens' panels"),
        _("Volunteer to be chosen by fair lottery to deliberate for your place."),
        _(
            "Citizens' panels chosen by a fair, verifiable lottery that makes the panel look like the "
            "place while giving every volunteer as equal a chance as possible, and public answers to "
            "every recommendation the panel makes."
        ),
        url_name="panels:index",
    ),
    Module(
        "ideas",
        _("Ideas Shop"),
        _("Add ideas, agree or disagree, and find common ground."),
        _(
            "Conversations where residents and staff, as equals, add short statements and vote on "
            "each other's. The platform shows the groups of opinion and what nearly everyone agrees on."
        ),
        url_name="ideas:index",
    ),
    Module(
        "directory",
        _("Community directory"),
        _("Find groups, activities and services near you."),
        _(
            "Groups, activities and services kept up to date by the community groups themselves, "
            "searchable by what matters to you, when it is on and where, and published as Open "
            "Referral UK so other services can use it."
        ),
        url_name="directory:index",
    ),
    Module(
        "support",
        _("Support and social prescribing"),
        _("Person-centred support plans and referrals to community groups."),
        _(
            "Support built around the person: their name, strengths and what matters to them, one "
            "keyworker, a plan in their own words, and referrals to community groups that close the "
            "loop, all with their consent."
        ),
        url_name="support:index",
    ),
    Module(
        "measures",
        _("Measures and stories"),
        _("Measures that matter to people, stories of what works, and practice for staff."),
        _(
            "Measures the community agrees matter, recorded by residents beside the official figures; "
            "stories of what works, brought into the meetings where services are planned; and a "
            "practice log for staff shifting power."
        ),
        url_name="measures:index",
    ),
)

MODULES_BY_SLUG = {m.slug: m for m in MODULES}
