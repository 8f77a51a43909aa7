"""Vote submission under load in the Ideas Shop: 200 people voting at once on the Riverside
conversation, on PostgreSQL, through the htmx endpoint the page uses.

Each person takes part under a pseudonym (a cookie), opens the conversation, and votes on the
statements they are shown, one at a time. Load shapes as in bench/pb_vote_load.py: `voters`
(arrive in the first 10 s, read each statement for 1 to 4 s) and `burst` (no reading time).
Target (issue 5): vote submission p95 under 50 ms. The submit time is the median of each
person's votes; the table's percentiles are over people.
Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/ideas_vote_load.py
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadtest  # noqa: E402

VOTES_EACH = 5


def _slug() -> str:
    from powershift.ideas.demo import QUESTION
    from powershift.ideas.models import Conversation

    return Conversation.objects.get(question=QUESTION).slug


def prepare(n: int) -> list[str]:
    loadtest.build_demo()
    from powershift.ideas import actions
    from powershift.ideas.models import Conversation

    c = Conversation.objects.get(slug=_slug())
    return [f"ideas-{c.pk}={actions.join(None, c).token}; slug={c.slug}" for _ in range(n)]


def count() -> dict[str, int]:
    import django

    django.setup()
    from powershift.ideas.models import Vote

    return {"votes": Vote.objects.filter(participant__conversation__slug=_slug()).count()}


def vote(base: str, cookie: str, rng: random.Random, people: bool) -> tuple[float, float, bool]:
    slug = cookie.rsplit("slug=", 1)[1]
    url = f"{base}/ideas/{slug}/"
    html, csrf, page_ms = loadtest.get(url, cookie)
    times, ok = [], True
    for _ in range(VOTES_EACH):
        if people:
            time.sleep(rng.uniform(1, 4))
        number = re.search(r'name="statement" value="(\d+)"', html)
        if not number:
            break
        html, ms = loadtest.post(f"{url}vote/", cookie, csrf, html,
                                 [("statement", number.group(1)), ("value", rng.choice(["1", "-1", "0"]))],
                                 {"HX-Request": "true"})
        html = f'<input name="csrfmiddlewaretoken" value="{_token(html) or csrf}">' + html
        ok = ok and 'id="vote-card"' in html
        times.append(ms)
    return page_ms, statistics.median(times), ok and len(times) == VOTES_EACH


def _token(html: str) -> str | None:
    match = loadtest.TOKEN.search(html)
    return match.group(1) if match else None


if __name__ == "__main__":
    sys.exit(loadtest.main(sys.modules[__name__], "Ideas Shop vote submission", "/ideas/"))
