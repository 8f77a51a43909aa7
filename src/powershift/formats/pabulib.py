"""Reading and writing Pabulib `.pb` files (participatory budgeting elections), `.pb.gz` too.

A file has three sections, each a `;`-separated table: META (key;value), PROJECTS (project_id,
cost, ...) and VOTES (voter_id, vote, [points], ...). Every field is kept as text so a file
can be written back; money and points are read exactly (`Fraction`, or `int` when whole).

Everything is checked before anything is returned. A problem is one line:
`FILE:LINE: what is wrong; how to fix it`.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import chain
from pathlib import Path

VOTE_TYPES = ("approval", "choose-1", "cumulative", "scoring", "ordinal")
SECTIONS = ("META", "PROJECTS", "VOTES")
Number = int | Fraction


class PabulibError(ValueError):
    """A problem with a `.pb` file, worded so whoever prepared the file can fix it."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path, self.line = path, line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(" ".join(f"{where}: {problem}".split()))  # always one line


@dataclass(frozen=True)
class PBProject:
    id: str
    cost: Number
    name: str
    fields: dict[str, str] = field(default_factory=dict)  # every column as written, incl. id, cost


@dataclass(frozen=True)
class PBVoter:
    id: str
    ballot: dict[str, Number]  # project id -> points (1 for approval); ordinal: rank order kept
    fields: dict[str, str] = field(default_factory=dict)  # the other columns (age, sex...)


@dataclass(frozen=True)
class Election:
    path: str
    meta: dict[str, str]
    projects: list[PBProject]
    voters: list[PBVoter]
    project_columns: list[str]
    vote_columns: list[str]
    unit_points: bool = False  # known while reading: every point given is 1 (approval)

    @property
    def budget(self) -> Number:
        return number(self.meta["budget"])

    @property
    def vote_type(self) -> str:
        return self.meta["vote_type"]

    @cached_property
    def ballots(self) -> list[dict[str, Number]]:
        """Each voter's ballot, in file order (listed once: counts read them several times)."""
        return [v.ballot for v in self.voters]


def number(text: str) -> Number:
    """An exact number from its decimal text (`12`, `12.50`, `1e3`); ValueError if it is not one."""
    value = Fraction(text.strip())
    return value.numerator if value.denominator == 1 else value


def _open(path: Path) -> Iterator[str]:
    """The file's lines (decompressed if `.gz`), without line endings."""
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    yield from raw.decode("utf-8-sig").splitlines()


def _rows(lines: Sequence[str], first_line: int) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each non-blank `;`-separated row; quotes as in CSV."""
    reader = csv.reader(lines, delimiter=";", quotechar='"')
    previous = 0
    for cells in reader:
        number_ = first_line + previous
        previous = reader.line_num
        stripped = [c.strip() for c in cells]
        if any(stripped):
            yield number_, stripped


class _Reader:
    def __init__(self, path: Path) -> None:
        self.source = str(path)

    def error(self, line: int | None, problem: str) -> PabulibError:
        return PabulibError(self.source, line, problem)

    def sections(self, lines: list[str]) -> dict[str, tuple[int, list[str]]]:
        """Section name -> (line number of its header row, its lines)."""
        starts: list[tuple[str, int]] = []
        for i, text in enumerate(lines):
            name = text.strip().strip(";").strip().upper()
            if name in SECTIONS and not any(name == s for s, _ in starts):
                starts.append((name, i))
        found = {name for name, _ in starts}
        for name in SECTIONS:
            if name not in found:
                raise self.error(len(lines) or None, f"the {name} section is missing; add a line "
                                 f"'{name}' followed by its table (see pabulib.org/format)")
        order = [name for name, _ in starts]
        if order != list(SECTIONS):
            line = starts[order.index(next(a for a, b in zip(order, SECTIONS, strict=True)
                                           if a != b))][1] + 1
            raise self.error(line, f"sections are in the order {', '.join(order)}; put them "
                             "in the order META, PROJECTS, VOTES")
        result = {}
        for k, (name, start) in enumerate(starts):
            end = starts[k + 1][1] if k + 1 < len(starts) else len(lines)
            result[name] = (start + 2, lines[start + 1:end])
        return result

    def table(self, name: str, first: int, lines: list[str],
              required: Sequence[str]) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
        rows = iter(_rows(lines, first))
        header_row = next(rows, None)
        if header_row is None:
            raise self.error(first - 1, f"the {name} section has no header row; give the column "
                             f"names, starting with {';'.join(required)}")
        line, header = header_row
        header = [h.lower() for h in header]
        for column in required:
            if column not in header:
                raise self.error(line, f"the {name} header has no '{column}' column; name the "
                                 f"columns, starting with {';'.join(required)}")
        if len(set(header)) != len(header):
            raise self.error(line, f"the {name} header repeats a column name; name each "
                             "column once")
        body = []
        for line, cells in rows:
            if len(cells) > len(header):
                raise self.error(line, f"this row has {len(cells)} cells but the header has "
                                 f"{len(header)}; remove the extra ';' or quote text containing it")
            body.append((line, dict(zip(header, cells + [""] * (len(header) - len(cells)),
                                        strict=True))))
        return header, body

    def read(self, lines: list[str]) -> Election:
        sections = self.sections(lines)
        meta_first, meta_lines = sections["META"]
        _, meta_rows = self.table("META", meta_first, meta_lines, ("key", "value"))
        meta: dict[str, str] = {}
        meta_line: dict[str, int] = {}
        for line, row in meta_rows:
            key = row["key"]
            if key in meta:
                raise self.error(line, f"the META key '{key}' is given twice; keep one")
            meta[key], meta_line[key] = row["value"], line
        for key in ("budget", "vote_type"):
            if not meta.get(key):
                raise self.error(meta_first, f"META has no '{key}'; add a line '{key};...'")
        try:
            budget = number(meta["budget"])
        except (ValueError, ZeroDivisionError):
            raise self.error(meta_line["budget"], f"the budget '{meta['budget']}' is not a "
                             "number; give it in currency units, e.g. 1000000") from None
        if budget < 0:
            raise self.error(meta_line["budget"], "the budget is negative; give the amount "
                             "available")
        vote_type = meta["vote_type"]
        if vote_type not in VOTE_TYPES:
            raise self.error(meta_line["vote_type"], f"the vote type '{vote_type}' is not known; "
                             f"use one of {', '.join(VOTE_TYPES)}")
        limits: dict[str, Number] = {}
        for key in ("min_length", "max_length", "max_sum_cost", "min_sum_cost", "max_points",
                    "min_points", "max_sum_points", "min_sum_points"):
            if meta.get(key, "").strip():
                try:
                    limits[key] = number(meta[key])
                except (ValueError, ZeroDivisionError):
                    raise self.error(meta_line[key], f"'{key}' is '{meta[key]}', not a number; "
                                     "give a number or remove the line") from None

        first, project_lines = sections["PROJECTS"]
        project_columns, project_rows = self.table("PROJECTS", first, project_lines,
                                                   ("project_id", "cost"))
        projects: list[PBProject] = []
        costs: dict[str, Number] = {}
        for line, row in project_rows:
            # Ids are interned: ballots then share the projects' id objects, which makes
            # counting's lookups faster (equal objects compare by identity).
            pid = sys.intern(row["project_id"])
            if not pid:
                raise self.error(line, "the project has no project_id; give every project an id")
            if pid in costs:
                raise self.error(line, f"project id {pid} is used twice; give each project its "
                                 "own id")
            try:
                cost = number(row["cost"])
            except (ValueError, ZeroDivisionError):
                raise self.error(line, f"the cost of project {pid} is '{row['cost']}', not a "
                                 "number; give it in currency units without spaces or symbols, "
                                 "e.g. 25000") from None
            if cost < 0:
                raise self.error(line, f"the cost of project {pid} is negative; give what it "
                                 "costs")
            if cost > budget:
                raise self.error(line, f"project {pid} costs {cost} but the whole budget is "
                                 f"{budget}; check the cost and the META budget")
            costs[pid] = cost
            projects.append(PBProject(pid, cost, row.get("name", ""), row))
        if not projects:
            raise self.error(first, "the PROJECTS section lists no projects; add one row per "
                             "project")

        first, vote_lines = sections["VOTES"]
        vote_columns, vote_rows = self.table("VOTES", first, vote_lines, ("voter_id", "vote"))
        has_points = "points" in vote_columns
        if vote_type in ("cumulative", "scoring") and not has_points:
            raise self.error(first, f"a {vote_type} election needs a 'points' column in VOTES; "
                             "add the points given to each project")
        voters: list[PBVoter] = []
        seen: dict[str, int] = {}
        for line, row in vote_rows:
            voters.append(self.voter(line, row, costs, vote_type, limits, seen, has_points))
        unit = (not has_points or vote_type == "ordinal" or
                set(chain.from_iterable(v.ballot.values() for v in voters)) <= {1})
        return Election(self.source, meta, projects, voters, project_columns, vote_columns, unit)

    def voter(self, line: int, row: dict[str, str], costs: Mapping[str, Number], vote_type: str,
              limits: Mapping[str, Number], seen: dict[str, int], has_points: bool) -> PBVoter:
        vid = row["voter_id"]
        if not vid:
            raise self.error(line, "the vote has no voter_id; give every vote an id")
        if vid in seen:
            raise self.error(line, f"voter id {vid} already voted on line {seen[vid]}; give "
                             "each voter one row (remove the duplicate)")
        seen[vid] = line
        vote = row.pop("vote")
        ids = [sys.intern(p.strip()) for p in vote.split(",")] if vote else []
        distinct = set(ids)
        if len(distinct) != len(ids):
            raise self.error(line, f"voter {vid} lists a project twice; list each project once")
        if not distinct <= costs.keys():
            pid = next(p for p in ids if p not in costs)
            raise self.error(line, f"voter {vid} votes for project {pid}, which is not in "
                             "PROJECTS; add the project or correct the id")
        if has_points and row.get("points", "") != "" and vote_type != "ordinal":
            texts = row["points"].split(",")
            if len(texts) != len(ids):
                raise self.error(line, f"voter {vid} has {len(ids)} projects but {len(texts)} "
                                 "points; give one point value per project, in the same order")
            try:
                points = [number(t) for t in texts]
            except (ValueError, ZeroDivisionError):
                raise self.error(line, f"voter {vid} has points '{row['points']}' that are not "
                                 "numbers; give numbers separated by commas") from None
        elif vote_type in ("cumulative", "scoring"):
            raise self.error(line, f"voter {vid} has no points; give one point value per project")
        else:
            points = [1] * len(ids)
        ballot = dict(zip(ids, points, strict=True))
        if limits or has_points or vote_type == "choose-1":
            self.check_limits(line, vid, ballot, costs, vote_type, limits)
        del row["voter_id"]
        row.pop("points", None)
        return PBVoter(vid, ballot, row)  # the other columns

    def check_limits(self, line: int, vid: str, ballot: Mapping[str, Number],
                     costs: Mapping[str, Number], vote_type: str,
                     limits: Mapping[str, Number]) -> None:
        n = len(ballot)
        if vote_type == "choose-1" and n > 1:
            raise self.error(line, f"voter {vid} chose {n} projects in a choose-1 election; "
                             "keep one, or set vote_type to approval")
        if "max_length" in limits and n > limits["max_length"]:
            raise self.error(line, f"voter {vid} chose {n} projects but max_length is "
                             f"{limits['max_length']}; remove the ballot or correct max_length")
        if "min_length" in limits and 0 < n < limits["min_length"]:
            raise self.error(line, f"voter {vid} chose {n} projects but min_length is "
                             f"{limits['min_length']}; remove the ballot or correct min_length")
        for pid, p in ballot.items():
            if p < 0:
                raise self.error(line, f"voter {vid} gives project {pid} negative points ({p}); "
                                 "points must be 0 or more")
            if "max_points" in limits and p > limits["max_points"]:
                raise self.error(line, f"voter {vid} gives project {pid} {p} points but "
                                 f"max_points is {limits['max_points']}; correct the points or "
                                 "max_points")
        total = sum(ballot.values())
        if vote_type in ("cumulative", "scoring") and "max_sum_points" in limits \
                and total > limits["max_sum_points"]:
            raise self.error(line, f"voter {vid} gives {total} points in all but max_sum_points "
                             f"is {limits['max_sum_points']}; correct the points or "
                             "max_sum_points")
        if "max_sum_cost" in limits:
            spent = sum(costs[pid] for pid in ballot)
            if spent > limits["max_sum_cost"]:
                raise self.error(line, f"voter {vid} chose projects costing {spent} in all but "
                                 f"max_sum_cost is {limits['max_sum_cost']}; remove the ballot "
                                 "or correct max_sum_cost")


def read(path: str | Path) -> Election:
    """An election from a `.pb` or `.pb.gz` file; PabulibError on the first problem in it."""
    path = Path(path)
    reader = _Reader(path)
    try:
        lines = list(_open(path))
    except OSError as e:
        raise reader.error(None, f"cannot be read ({e.strerror or e}); check the path and that "
                           "the file is readable") from None
    except UnicodeDecodeError:
        raise reader.error(None, "is not UTF-8 text; save it as UTF-8") from None
    except EOFError:
        raise reader.error(None, "the gzip file is cut short; copy it again") from None
    return reader.read(lines)


def _text(value: Number) -> str:
    if isinstance(value, int) or value.denominator == 1:
        return str(int(value))
    return format(float(value), "g") if Fraction(float(value)) == value else str(value)


def _same(text: str, value: Number) -> bool:
    try:
        return number(text) == value
    except (ValueError, ZeroDivisionError):
        return False


def dumps(election: Election) -> str:
    """The election as `.pb` text (fields as read; ids, costs, ballots and points from the data)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in election.meta.items():
        writer.writerow([key, value])
    out.write("PROJECTS\n")
    columns = election.project_columns or ["project_id", "cost", "name"]
    writer.writerow(columns)
    for p in election.projects:
        written = p.fields.get("cost", "")
        cost = written if _same(written, p.cost) else _text(p.cost)  # keep "75000.0" as it was
        row = {**p.fields, "project_id": p.id, "cost": cost, "name": p.name}
        writer.writerow([row.get(c, "") for c in columns])
    out.write("VOTES\n")
    columns = election.vote_columns or ["voter_id", "vote"]
    writer.writerow(columns)
    for v in election.voters:
        row = {**v.fields, "voter_id": v.id, "vote": ",".join(v.ballot),
               "points": ",".join(_text(x) for x in v.ballot.values())}
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def write(election: Election, path: str | Path) -> None:
    """Write the election as `.pb` (gzip-compressed if the name ends in `.gz`)."""
    path = Path(path)
    data = dumps(election).encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)
