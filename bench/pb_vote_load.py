"""Ballot submission under load: 200 voters voting at once on the Riverside demo, on PostgreSQL.

Each voter is signed in and checked at a venue; they open the ballot and cast a vote through
the real form (session, CSRF, server-side checks, row lock, secret ballot). Two load shapes:
`voters` (each opens the ballot in the first 10 s, reads it for 5 to 20 s, then submits: all
200 are mid-vote together) and `burst` (all 200 open and submit in the same instant: every
request queues behind the others). Target (issue 3): submission p95 under 50 ms.
Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pb_vote_load.py
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadtest  # noqa: E402

ROUND = "riverside-community-budget-2026"
VOTE = f"/budgets/{ROUND}/vote/"


def prepare(n: int) -> list[str]:
    loadtest.build_demo()
    from powershift.budgets import actions
    from powershift.budgets.models import Round
    from powershift.core.models import User

    r = Round.objects.get(slug=ROUND)
    cookies = []
    for i in range(n):
        user = User.objects.create_user(f"load{i}@example.org", None, full_name=f"Load {i}")
        actions.check_at_venue(None, r, user, age_confirmed=True)  # type: ignore[arg-type]
        cookies.append(loadtest.session_cookie(user))
    return cookies


def count() -> dict[str, int]:
    import django

    django.setup()
    from powershift.budgets.models import Ballot, Voter

    return {"ballots": Ballot.objects.filter(round__slug=ROUND).count(),
            "voted": Voter.objects.filter(round__slug=ROUND, has_voted=True).count()}


def vote(base: str, cookie: str, rng: random.Random, people: bool) -> tuple[float, float, bool]:
    html, csrf, page_ms = loadtest.get(base + VOTE, cookie)
    if people:
        time.sleep(rng.uniform(5, 20))
    costs = {int(n): int(c) for n, c in re.findall(r'id="id_p(\d+)"[^>]*data-cost="(\d+)"', html)}
    chosen, spent = [], 0
    for n in rng.sample(sorted(costs), 6):
        if spent + costs[n] <= 250_000:
            chosen.append(n)
            spent += costs[n]
    text, submit_ms = loadtest.post(base + VOTE, cookie, csrf, html, [(f"p{n}", "on") for n in chosen])
    return page_ms, submit_ms, "Your vote is cast" in text


if __name__ == "__main__":
    sys.exit(loadtest.main(sys.modules[__name__], "Ballot submission", f"/budgets/{ROUND}/"))
