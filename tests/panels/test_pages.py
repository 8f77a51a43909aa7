"""Panel pages on the full Riverside demo, for every role; the pool stays with facilitators."""

from __future__ import annotations

import pytest
from django.core import signing

from powershift.core.models import User
from powershift.panels.demo import NOW_QUESTION, PAST_QUESTION
from powershift.panels.models import Panel, VolunteerStatus
from powershift.panels.views import REPLY_SALT
from tests.core.test_pages import ROLES, _check

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_every_panel_page_for_every_role(client, riverside_full, role):
    now, past = Panel.objects.get(question=NOW_QUESTION), Panel.objects.get(question=PAST_QUESTION)
    if role:
        client.force_login(User.objects.get(email=f"{role}@riverside.example"))
    public = ["/panels/", now.get_absolute_url(), past.get_absolute_url(), f"/panels/{now.slug}/join/"]
    staff = {f"/panels/{now.slug}/manage/": {"facilitator", "admin"}, f"/panels/{past.slug}/manage/": {"facilitator", "admin"},
             "/panels/new/": {"facilitator", "admin"},
             f"/panels/{past.slug}/recommendations/5/respond/": {"commissioner", "admin"}}
    for url in public + list(staff):
        response = client.get(url)
        if url in staff and role not in staff[url]:
            assert response.status_code in (302, 403), (url, role)
            continue
        assert response.status_code == 200, (url, role)
        html = response.content.decode()
        _check(html, url)
        if url not in staff:  # nobody's name from the pool on a public page
            assert "volunteer1@example.org" not in html


def test_the_public_page_shows_the_commitment_then_the_seed(client, riverside_full):
    now, past = Panel.objects.get(question=NOW_QUESTION), Panel.objects.get(question=PAST_QUESTION)
    page = client.get(now.get_absolute_url()).content.decode()
    assert now.seed_commitment in page and now.seed not in page and "Published after the draw" in page
    page = client.get(past.get_absolute_url()).content.decode()
    assert past.seed in page and "Recommendations and answers" in page and "Accepted in part" in page


def test_a_selected_person_answers_by_their_private_link(client, riverside_full):
    past = Panel.objects.get(question=PAST_QUESTION)
    v = past.volunteers.filter(status=VolunteerStatus.ACCEPTED).first()
    v.status = VolunteerStatus.SELECTED
    v.save()
    url = f"/panels/{past.slug}/reply/{signing.dumps(v.pk, salt=REPLY_SALT)}/"
    assert "You have been chosen" in client.get(url).content.decode()
    client.post(url, {"answer": "decline"})
    v.refresh_from_db()
    assert v.status == VolunteerStatus.DECLINED
    assert client.get(f"/panels/{past.slug}/reply/forged/").status_code == 404
