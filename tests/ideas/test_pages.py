"""Ideas Shop pages on the full Riverside demo, for every role; voting without JavaScript and
with htmx; the report."""

from __future__ import annotations

import pytest

from powershift.core.models import User
from powershift.ideas.demo import QUESTION
from powershift.ideas.models import Conversation, Participant, Vote
from tests.core.test_pages import ROLES, _check

pytestmark = pytest.mark.django_db


def _slug() -> str:
    return Conversation.objects.get(question=QUESTION).slug


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_every_ideas_page_for_every_role(client, riverside_full, role):
    slug = _slug()
    if role:
        client.force_login(User.objects.get(email=f"{role}@riverside.example"))
    pages = ["/ideas/", f"/ideas/{slug}/", f"/ideas/{slug}/report/"]
    staff = [f"/ideas/{slug}/moderate/", "/ideas/new/", f"/ideas/{slug}/statements/1/follow-up/",
             f"/ideas/{slug}/statements/1/to-budget/"]
    for url in pages + staff:
        response = client.get(url)
        if url in staff and role not in ("facilitator", "admin"):
            assert response.status_code in (302, 403), (url, role)
            continue
        assert response.status_code == 200, (url, role)
        _check(response.content.decode(), url)


def test_the_demo_conversation_has_groups_and_common_ground(riverside_full):
    c = Conversation.objects.get(question=QUESTION)
    assert c.participants.count() == 300 and c.statements.filter(status="accepted").count() == 61
    a = c.analysis
    assert len(a["groups"]) >= 2 and all(g["size"] > 1 for g in a["groups"])
    assert a["consensus"] and a["divisive"]


def test_voting_without_javascript_and_with_htmx(client, riverside_full):
    slug = _slug()
    response = client.post(f"/ideas/{slug}/join/")
    assert response.status_code == 302
    participant = Participant.objects.order_by("-id").first()
    assert participant.user is None
    page = client.get(f"/ideas/{slug}/").content.decode()
    number = int(page.split('name="statement" value="')[1].split('"')[0])
    response = client.post(f"/ideas/{slug}/vote/", {"statement": number, "value": "1"})
    assert response.status_code == 302 and response.url.endswith("#vote")
    card = client.post(f"/ideas/{slug}/vote/", {"statement": number, "value": "-1"},
                       headers={"HX-Request": "true"}).content.decode()
    assert card.startswith('<div id="vote-card"') and "<html" not in card
    assert list(participant.votes.values_list("value", flat=True)) == [Vote.DISAGREE]
    assert "You have voted on 1 of 61 statements" in card


def test_the_report_reads_well(client, riverside_full):
    page = client.get(f"/ideas/{_slug()}/report/").content.decode()
    for heading in ("What we agree on", "What divides us", "voice", "Opinion map",
                    "The opinion map in numbers", "You said, we did", "Lighting along the river path"):
        assert heading in page, heading
