"""The Pabulib reader and writer: real files, round trips, and every bad-input case of issue 3."""

from __future__ import annotations

import gzip
from fractions import Fraction
from pathlib import Path

import pytest

from powershift.formats.pabulib import PabulibError, dumps, read, write

DATA = Path(__file__).parents[1] / "data" / "pabulib"
REAL = sorted(DATA.glob("*.pb.gz"))

GOOD = """META
key;value
description;Test
budget;1000
vote_type;{vote_type}
{extra}PROJECTS
project_id;cost;name
a;400;Benches
b;300;"Trees; and shrubs"
c;600;Library
VOTES
voter_id;vote;points
{votes}"""


def pb(tmp_path: Path, vote_type: str = "approval", votes: str = "1;a,b;\n2;c;\n",
       extra: str = "", text: str | None = None) -> Path:
    path = tmp_path / "test.pb"
    path.write_text(text if text is not None else GOOD.format(vote_type=vote_type, votes=votes,
                                                              extra=extra))
    return path


def bad(path: Path, line: int, *words: str) -> None:
    with pytest.raises(PabulibError) as caught:
        read(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: "), message
    assert ";" in message.split(": ", 1)[1], message  # what is wrong; how to fix it
    for word in words:
        assert word in message, message


def test_reads_every_field(tmp_path: Path) -> None:
    e = read(pb(tmp_path))
    assert e.budget == 1000 and e.vote_type == "approval"
    assert [p.id for p in e.projects] == ["a", "b", "c"]
    assert e.projects[1].name == "Trees; and shrubs"
    assert e.voters[0].ballot == {"a": 1, "b": 1}


def test_cumulative_points_and_exact_money(tmp_path: Path) -> None:
    text = GOOD.format(vote_type="cumulative", extra="max_sum_points;5\n",
                       votes="1;a,b;3,2\n2;c;1\n").replace("1000", "1000.5")
    e = read(pb(tmp_path, text=text))
    assert e.budget == Fraction(2001, 2)
    assert e.voters[0].ballot == {"a": 3, "b": 2}


def test_the_reader_says_when_every_point_is_one(tmp_path: Path) -> None:
    # Counting trusts this (it skips checking each point), so it must be exactly right.
    assert read(pb(tmp_path)).unit_points
    assert read(pb(tmp_path, votes="1;a,b;1,1\n2;c;\n")).unit_points
    assert not read(pb(tmp_path, votes="1;a,b;1,2\n2;c;1\n")).unit_points
    assert not read(pb(tmp_path, "cumulative", "1;a,b;1,1\n2;c;2\n")).unit_points
    assert read(pb(tmp_path, "cumulative", "1;a,b;1,1\n2;c;1\n")).unit_points
    assert all(read(path).unit_points == all(x == 1 for v in read(path).voters
                                             for x in v.ballot.values()) for path in REAL[:12])


def test_round_trip_plain_and_gzip(tmp_path: Path) -> None:
    e = read(pb(tmp_path, "cumulative", "1;a,b;3,2\n2;c;1\n"))
    for name in ("out.pb", "out.pb.gz"):
        write(e, tmp_path / name)
        again = read(tmp_path / name)
        assert again.projects == e.projects and again.voters == e.voters and again.meta == e.meta
    assert gzip.decompress((tmp_path / "out.pb.gz").read_bytes()).decode() == dumps(e)


@pytest.mark.parametrize("path", REAL[:12], ids=lambda p: p.name[:40])
def test_real_files_round_trip(path: Path, tmp_path: Path) -> None:
    e = read(path)
    assert e.vote_type in ("approval", "choose-1", "cumulative", "ordinal")
    assert len(e.voters) == int(e.meta["num_votes"]) and len(e.projects) == int(e.meta["num_projects"])
    write(e, tmp_path / "x.pb")
    again = read(tmp_path / "x.pb")
    assert again.voters == e.voters and again.projects == e.projects


def test_every_vote_type_is_committed() -> None:
    assert {read(p).vote_type for p in REAL} >= {"approval", "choose-1", "cumulative", "ordinal"}


@pytest.mark.parametrize("section", ["META", "PROJECTS", "VOTES"])
def test_missing_section(tmp_path: Path, section: str) -> None:
    text = GOOD.format(vote_type="approval", extra="", votes="1;a;\n").replace(f"{section}\n", "")
    bad(pb(tmp_path, text=text), len(text.splitlines()), f"the {section} section is missing",
        f"add a line '{section}'")


def test_unknown_project_in_vote(tmp_path: Path) -> None:
    bad(pb(tmp_path, votes="1;a;\n2;a,zz;\n"), 14, "project zz", "not in PROJECTS",
        "add the project or correct the id")


def test_duplicate_voter(tmp_path: Path) -> None:
    bad(pb(tmp_path, votes="7;a;\n7;b;\n"), 14, "voter id 7 already voted on line 13",
        "remove the duplicate")


def test_cost_not_a_number(tmp_path: Path) -> None:
    text = GOOD.format(vote_type="approval", extra="", votes="1;a;\n").replace("600", "6OO zł")
    bad(pb(tmp_path, text=text), 10, "project c", "not a number", "give it in currency units")


def test_cost_over_budget(tmp_path: Path) -> None:
    text = GOOD.format(vote_type="approval", extra="", votes="1;a;\n").replace("600", "1600")
    bad(pb(tmp_path, text=text), 10, "project c costs 1600", "budget is 1000",
        "check the cost and the META budget")


def test_points_over_max_sum_points(tmp_path: Path) -> None:
    bad(pb(tmp_path, "cumulative", "1;a,b;3,2\n2;a,c;4,2\n", "max_sum_points;5\n"), 15,
        "voter 2 gives 6 points in all", "max_sum_points is 5", "correct the points")


def test_points_over_max_points(tmp_path: Path) -> None:
    bad(pb(tmp_path, "cumulative", "1;a,b;3,2\n", "max_points;2\n"), 14,
        "project a 3 points", "max_points is 2", "correct the points")


def test_ballot_longer_than_max_length(tmp_path: Path) -> None:
    bad(pb(tmp_path, votes="1;a;\n2;a,b,c;\n", extra="max_length;2\n"), 15,
        "voter 2 chose 3 projects", "max_length is 2", "remove the ballot or correct max_length")


def test_ballot_shorter_than_min_length(tmp_path: Path) -> None:
    bad(pb(tmp_path, votes="1;a;\n", extra="min_length;2\n"), 14,
        "voter 1 chose 1 projects", "min_length is 2", "correct min_length")


def test_ballot_over_budget(tmp_path: Path) -> None:
    bad(pb(tmp_path, votes="1;a,b;\n2;a,c;\n", extra="max_sum_cost;900\n"), 15,
        "voter 2 chose projects costing 1000", "max_sum_cost is 900", "remove the ballot")


def test_choose_one_over_the_count(tmp_path: Path) -> None:
    bad(pb(tmp_path, "choose-1", "1;a;\n2;a,b;\n"), 14, "voter 2 chose 2 projects",
        "choose-1", "keep one")


def test_points_count_mismatch(tmp_path: Path) -> None:
    bad(pb(tmp_path, "cumulative", "1;a,b;3\n"), 13, "2 projects but 1 points",
        "one point value per project")


def test_gzip_file(tmp_path: Path) -> None:
    path = tmp_path / "test.pb.gz"
    path.write_bytes(gzip.compress(pb(tmp_path).read_bytes()))
    assert len(read(path).voters) == 2


def test_unreadable(tmp_path: Path) -> None:
    with pytest.raises(PabulibError, match="cannot be read"):
        read(tmp_path / "nope.pb")
