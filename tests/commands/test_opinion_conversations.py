"""`powershift opinion import` and `opinion export`: a real Polis conversation comes in whole,
is analysed, and goes back out as a Polis export that reads the same."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from powershift.cli import main
from powershift.formats import polis_export
from powershift.ideas.models import Conversation, StatementStatus

pytestmark = pytest.mark.django_db

BREXIT = Path(__file__).parents[1] / "data" / "polis" / "brexit-consensus"


def _latest(export: polis_export.PolisExport) -> Counter[tuple[int, int]]:
    latest = {}
    for v in sorted(export.votes, key=lambda v: v.timestamp):
        latest[(v.participant, v.statement)] = v.vote
    return Counter((s, vote) for (_, s), vote in latest.items())


def test_a_polis_conversation_moves_in_and_out(riverside, tmp_path, capsys):
    assert main(["opinion", "import", str(BREXIT), "--place", "RV-LOC",
                 "--question", "What should happen after Brexit?"]) == 0
    out = capsys.readouterr().out
    c = Conversation.objects.get()
    original = polis_export.read_export(BREXIT)
    assert c.statements.count() == len(original.comments)
    assert c.statements.filter(status=StatementStatus.REJECTED).count() == len(original.moderated_out)
    assert c.analysis["groups"] and "groups" in out

    assert main(["opinion", "export", c.slug, "--out", str(tmp_path)]) == 0
    again = polis_export.read_export(tmp_path)
    assert {x.id: x.text for x in again.comments} == {x.id: x.text for x in original.comments}
    # The same latest votes, statement by statement (participants are renumbered).
    assert _latest(again) == _latest(original)


def test_import_refuses_bad_folders(riverside, tmp_path, capsys):
    assert main(["opinion", "import", str(BREXIT), "--place", "NOWHERE", "--question", "Q?"]) == 2
    assert "--place NOWHERE: no place has that code" in capsys.readouterr().err
    (tmp_path / "comments.csv").write_text("comment-id,comment-body\n1,Hello\n")
    (tmp_path / "votes.csv").write_text("timestamp,comment-id,voter-id,vote\n1,2,0,1\n")
    assert main(["opinion", "import", str(tmp_path), "--place", "RV-LOC", "--question", "Q?"]) == 2
    err = capsys.readouterr().err
    assert "votes.csv:2" in err and err.count("\n") == 1
    assert not Conversation.objects.exists()
