"""The Polis export reader and writer: every bad-input case on small fixtures, a round trip,
and the real open Polis conversations in tests/data/polis."""

from __future__ import annotations

from pathlib import Path

import pytest

from powershift.formats.polis_export import (
    Comment,
    PolisExportError,
    Vote,
    read_export,
    read_participants_votes,
    write_export,
)

DATA = Path(__file__).parent.parent / "data" / "polis"
BAD = DATA / "bad"

# folder: (file, line, what, fix)
CASES = {
    "missing_column": ("votes.csv", 1, "no column 'vote'", "name the columns"),
    "misnamed_column": ("votes.csv", 1, "no column 'comment-id'", "name the columns"),
    "unknown_statement": ("votes.csv", 4, "comment-id 7, which is not in comments.csv",
                          "add the statement or remove its votes"),
    "bad_vote": ("votes.csv", 3, "vote 2 is not -1, 0 or 1", "use 1 agree, -1 disagree, 0 pass"),
    "duplicate_id": ("comments.csv", 4, "comment-id 0 is already used on line 2",
                     "give each statement its own id"),
    "empty_comments": ("comments.csv", 2, "holds no statements", "needs at least one"),
    "empty_votes": ("votes.csv", 2, "holds no votes", "nothing to analyse until"),
}


@pytest.mark.parametrize("folder", sorted(CASES))
def test_bad_input_is_one_line_naming_file_line_and_fix(folder: str) -> None:
    name, line, what, fix = CASES[folder]
    with pytest.raises(PolisExportError) as caught:
        read_export(BAD / folder)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{BAD / folder / name}:{line}: ")
    assert what in message and fix in message
    assert "; " in message
    assert (caught.value.path, caught.value.line) == (str(BAD / folder / name), line)


def test_missing_votes_file_and_missing_folder() -> None:
    with pytest.raises(PolisExportError, match="has no votes.csv .*; give a Polis export folder"):
        read_export(BAD / "no_votes_file")
    with pytest.raises(PolisExportError, match="is not a folder; give the folder"):
        read_export(BAD / "absent")


def test_reads_a_real_conversation_with_polis_groups() -> None:
    export = read_export(DATA / "brexit-consensus")
    assert len(export.comments) == 50 and len(export.votes) == 5312
    assert len(export.groups) == 197 and set(export.groups.values()) == {0, 1}
    assert export.moderated_out == []
    assert {v.vote for v in export.votes} == {-1, 0, 1}


def test_round_trip_through_polis_format(tmp_path: Path) -> None:
    comments = [Comment(0, "Buses, not cars", author=3, moderated=1, timestamp=1_600_000_000_000),
                Comment(1, 'Say "yes"', moderated=-1)]
    votes = [Vote(1, 0, 1, 10), Vote(1, 0, -1, 20), Vote(2, 1, 0, 5), Vote(3, 0, 1, 7)]
    write_export(tmp_path, comments, votes, groups={1: 0, 3: 1})
    back = read_export(tmp_path)
    assert [(c.id, c.text, c.author, c.moderated, c.timestamp) for c in back.comments] == [
        (0, "Buses, not cars", 3, 1, 1_600_000_000_000), (1, 'Say "yes"', None, -1, 0)]
    assert back.votes == votes
    assert back.groups == {1: 0, 3: 1}
    pv_votes, groups, columns = read_participants_votes(tmp_path / "participants-votes.csv")
    assert columns == [0, 1]
    assert sorted((v.participant, v.statement, v.vote) for v in pv_votes) == [
        (1, 0, -1), (2, 1, 0), (3, 0, 1)]  # the latest vote wins
    assert "agrees" in (tmp_path / "comments.csv").read_text().splitlines()[0]


def test_participants_votes_alone_is_enough(tmp_path: Path) -> None:
    write_export(tmp_path, [Comment(5, "x"), Comment(6, "y")], [Vote(1, 5, 1), Vote(2, 6, -1)],
                 gzip_votes=True)
    (tmp_path / "comments.csv").unlink()
    (tmp_path / "votes.csv.gz").unlink()
    export = read_export(tmp_path)
    assert [c.id for c in export.comments] == [5, 6]
    assert sorted((v.participant, v.statement, v.vote) for v in export.votes) == [
        (1, 5, 1), (2, 6, -1)]
