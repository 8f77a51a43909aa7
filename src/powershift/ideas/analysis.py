"""Running the opinion analysis on a conversation and keeping the result for the report.

The analysis is plain Python (`powershift.methods.opinion`); this module reads the votes,
calls it, and stores a JSON summary on the conversation. It runs in the worker (tasks.py),
never in a request.
"""

from __future__ import annotations

import time
from typing import Any

from django.utils import timezone

from powershift.ideas.models import Conversation, StatementStatus, Vote
from powershift.methods import opinion

MAP_POINTS = 2000  # the opinion map draws at most this many people (a seeded sample beyond)


def _figures(f: opinion.StatementFigures, texts: dict[int, str]) -> dict[str, Any]:
    return {**f.as_dict(), "text": texts.get(int(str(f.statement)), "")}


def _divisive(rows: list[tuple[Any, int, int, Any]], group_of: dict[Any, int],
              texts: dict[int, str], eligible: set[int], top: int = 5) -> list[dict[str, Any]]:
    """Statements the groups see most differently: the widest gap between groups' agree shares
    (each group with at least 5 votes on it). Latest vote per person counts (rows are current)."""
    counts: dict[int, dict[int, list[int]]] = {}
    for participant, statement, value, _at in rows:
        group = group_of.get(participant)
        if group is None or statement not in eligible:
            continue
        agree_seen = counts.setdefault(statement, {}).setdefault(group, [0, 0])
        agree_seen[0] += value == 1
        agree_seen[1] += 1
    gaps = []
    for statement, by_group in counts.items():
        shares = {g: a / n for g, (a, n) in by_group.items() if n >= 5}
        if len(shares) >= 2 and len(shares) == len(set(group_of.values())):
            gap = max(shares.values()) - min(shares.values())
            gaps.append((gap, statement, shares))
    gaps.sort(key=lambda x: (-x[0], x[1]))
    return [{"statement": s, "text": texts.get(s, ""), "gap": round(gap, 3),
             "agree_share_by_group": {str(g): round(v, 3) for g, v in sorted(shares.items())}}
            for gap, s, shares in gaps[:top] if gap >= 0.3]


def analyse(conversation: Conversation) -> dict[str, Any]:
    started = time.perf_counter()
    statements = list(conversation.statements.values_list("number", "text", "status", "is_meta",
                                                          "is_demographic"))
    texts = {n: t for n, t, *_ in statements}
    rows = list(Vote.objects.filter(participant__conversation=conversation)
                .values_list("participant_id", "statement__number", "value", "updated_at"))
    result = opinion.analyze(
        [(p, s, v, at.timestamp()) for p, s, v, at in rows], [n for n, *_ in statements],
        moderated_out=[n for n, _t, status, *_ in statements if status != StatementStatus.ACCEPTED],
        meta=[n for n, _t, _s, meta, demo in statements if meta or demo], seed=conversation.pk)
    group_of = result.group_of()
    tallies = {str(s): {"agree": t.agree, "disagree": t.disagree, "passed": t.passed}
               for s, t in result.tallies.items()}
    points = sorted(result.coordinates.items(), key=lambda kv: str(kv[0]))[:MAP_POINTS]
    return {
        "participants": len(result.participants),
        "clustered": len(result.clustered),
        "statements": sum(1 for _n, _t, status, _m, _d in statements
                          if status == StatementStatus.ACCEPTED),
        "votes": result.votes,
        "votes_per_participant": round(result.votes_per_participant, 1),
        "too_small": result.too_small,
        "groups": [{"id": g.id, "label": chr(ord("A") + i), "size": len(g.members),
                    "representative": [_figures(f, texts) for f in g.representative]}
                   for i, g in enumerate(result.groups)],
        "consensus": [_figures(f, texts) for f in result.consensus],
        "divisive": _divisive(rows, group_of, texts, {n for n, _t, status, meta, demo in statements
                                                      if status == StatementStatus.ACCEPTED
                                                      and not meta and not demo}),
        "tallies": tallies,
        "priorities": {str(s): p for s, p in result.priorities.items()},
        "map": [{"x": x, "y": y, "group": group_of.get(pid)} for pid, (x, y) in points],
        "seconds": round(time.perf_counter() - started, 3),
    }


def store_analysis(conversation: Conversation) -> Conversation:
    """Analyse and save. Clears the queued flag first, so votes cast meanwhile queue another run."""
    Conversation.objects.filter(pk=conversation.pk).update(analysis_queued=False)
    summary = analyse(conversation)
    Conversation.objects.filter(pk=conversation.pk).update(
        analysis=summary, analysed_votes=summary["votes"], analysed_at=timezone.now())
    conversation.refresh_from_db()
    return conversation
