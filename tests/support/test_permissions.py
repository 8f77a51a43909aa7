"""The permission matrix: every role x own / other person's record x consent (given, never
given or expired, withdrawn just now), for the record's pages, the API, the exports and search.

"Own" is the record a role is tied to: the resident's own record (linked to their account), the
one the keyworker keyworks, the one the link worker and Early Help's staff member are in the team
of; the other roles have no tie, so for them "own" is one more record that is not theirs. "Other"
is a record with the same team shape in which this role has no part.

Expected: the person always sees their own record; the keyworker always opens theirs; a team
member only while the person's consent for their agency holds; nobody else, ever. Exports go to
the person and the keyworker only. Runs on SQLite and on PostgreSQL (DATABASE_URL).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from powershift.core.models import Organisation, Place, User
from powershift.support import actions
from powershift.support.demo import EARLY_HELP, SOCIAL_PRESCRIBING
from powershift.support.models import Consent, Person, TeamMember
from tests.support.conftest import ROLES, person

pytestmark = pytest.mark.usefixtures("support")
STATES = ["consent", "no_consent", "withdrawn"]
SURFACES = ["page", "journey", "api", "export_json", "export_html", "search", "api_search"]


def _record(full_name: str, resident: User | None, keyworker: User, members: list[tuple[User, str]],
            state: str) -> Person:
    today = timezone.localdate()
    p = Person.objects.create(full_name=full_name, preferred_name=full_name.split()[0], keyworker=keyworker,
                              user=resident, place=Place.objects.get(code="RV-LOC"))
    for user, slug in members:
        org = Organisation.objects.get(slug=slug)
        TeamMember.objects.get_or_create(person=p, user=user, organisation=org)
        if state == "no_consent":  # expired yesterday: the same as never given
            Consent.objects.create(person=p, organisation=org, purpose="support",
                                   starts_on=today - dt.timedelta(days=30), expires_on=today - dt.timedelta(days=1))
        else:
            c = Consent.objects.create(person=p, organisation=org, purpose="support", starts_on=today,
                                       expires_on=today + dt.timedelta(days=30))
            if state == "withdrawn":
                actions.withdraw_consent(keyworker, c)
    return p


def _records(state: str) -> tuple[Person, Person]:
    """(own, other): the same team shape; only 'own' involves the demo roles."""
    lw, kw, staff = person("linkworker"), person("keyworker"), person("staff")
    Person.objects.filter(user=person("resident")).update(user=None)  # the demo's own record
    own = _record("Ottilie Ownrecord", person("resident"), kw,
                  [(lw, SOCIAL_PRESCRIBING), (staff, EARLY_HELP)], state)
    strangers = [User.objects.create_user(f"{n}@elsewhere.example", "a long enough passphrase", full_name=n)
                 for n in ("Kim Keyworker", "Lee Linkworker", "Sol Staff")]
    other = _record("Xanthe Otherrecord", strangers[0], strangers[0],
                    [(strangers[1], SOCIAL_PRESCRIBING), (strangers[2], EARLY_HELP)], state)
    return own, other


def _expected(role: str | None, which: str, state: str, surface: str) -> bool:
    if role is None or which == "other":
        return False
    if surface.startswith("export"):
        return role in ("resident", "keyworker")
    if role in ("resident", "keyworker"):
        return True
    return role in ("linkworker", "staff") and state == "consent"


def _sees(client: Client, p: Person, surface: str) -> bool:
    if surface in ("search", "api_search"):
        last = p.full_name.split()[1]
        if surface == "search":
            response = client.get("/support/", {"q": last})
            return f'href="/support/people/{p.pk}/"' in response.content.decode()
        response = client.get("/api/support/people", {"q": last})
        return response.status_code == 200 and any(r["id"] == p.pk for r in response.json())
    url = {"page": f"/support/people/{p.pk}/", "journey": f"/support/people/{p.pk}/journey/",
           "api": f"/api/support/people/{p.pk}", "export_json": f"/support/people/{p.pk}/export.json",
           "export_html": f"/support/people/{p.pk}/export.html"}[surface]
    response = client.get(url)
    if response.status_code == 200:
        assert p.preferred_name.encode() in response.content, url
        return True
    assert response.status_code in (302, 401, 403, 404), (url, response.status_code)
    assert p.preferred_name.encode() not in response.content
    return False


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", [None, *ROLES], ids=["anonymous", *ROLES])
def test_matrix(client: Client, role: str | None, state: str) -> None:
    own, other = _records(state)
    if role is not None:
        client.force_login(person(role))
    got, want = {}, {}
    for which, record in (("own", own), ("other", other)):
        for surface in SURFACES:
            got[(which, surface)] = _sees(client, record, surface)
            want[(which, surface)] = _expected(role, which, state, surface)
    assert got == want


def test_every_positive_has_at_least_two_negatives() -> None:
    cases = [(r, w, s, f) for r in [None, *ROLES] for w in ("own", "other") for s in STATES for f in SURFACES]
    positives = [c for c in cases if _expected(*c)]
    assert positives and len(cases) - len(positives) >= 2 * len(positives)
    # And for each positive, the same role loses access on another record and in another state
    # (or another role on the same record and state): the negatives that matter.
    for role, which, state, surface in positives:
        near = [_expected(role, "other", state, surface),
                _expected("commissioner", which, state, surface)]
        assert near == [False, False]


def test_a_group_sees_a_referral_only_while_the_person_consents_to_sharing_with_it(client: Client) -> None:
    from powershift.directory.models import Service
    from powershift.support.models import Purpose, Referral

    knit = Service.objects.get(name="Knit and Natter at the Old Mills")
    own, _ = _records("consent")
    consent = Consent.objects.create(person=own, organisation=knit.organisation, purpose=Purpose.REFERRAL,
                                     expires_on=timezone.localdate() + dt.timedelta(days=30))
    r = Referral.objects.create(person=own, service=knit, organisation=knit.organisation,
                                agency=Organisation.objects.get(slug=SOCIAL_PRESCRIBING))
    url = f"/support/referrals/{r.pk}/"
    for role, allowed in (("leader", True), ("member", True), ("resident", True), ("keyworker", True),
                          ("commissioner", False), ("facilitator", False), ("admin", False)):
        client.force_login(person(role))
        assert (client.get(url).status_code == 200) is allowed, role
    client.force_login(person("leader"))
    assert client.get(f"/support/people/{own.pk}/").status_code == 404  # the referral only, not the record
    consent.withdrawn_at = timezone.now()
    consent.save()
    for role in ("leader", "member"):
        client.force_login(person(role))
        assert client.get(url).status_code == 404
        assert "Ottilie" not in client.get("/support/").content.decode()
