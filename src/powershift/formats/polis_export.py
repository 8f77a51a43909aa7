"""Reading and writing Polis's export format, so a conversation can move between Powershift and
Polis: `comments.csv`, `votes.csv` and `participants-votes.csv` in one folder (each may also be
gzipped, `votes.csv.gz`). Everything is validated before anything is returned.

Every problem is one line: `FILE:LINE: what is wrong; how to fix it` (lines count from 1, the
header being line 1). Votes follow Polis's export convention: 1 agree, -1 disagree, 0 pass.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

COMMENT_COLUMNS = ("timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees",
                   "moderated", "comment-body")
VOTE_COLUMNS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANT_COLUMNS = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
# Columns a reader cannot do without (the others are derived figures Polis adds).
_NEEDED_COMMENTS = ("comment-id", "comment-body")
_NEEDED_VOTES = ("comment-id", "voter-id", "vote")
_NEEDED_PARTICIPANTS = ("participant", "group-id")
VOTE_VALUES = (-1, 0, 1)


class PolisExportError(ValueError):
    """A problem with a Polis export file, worded so whoever prepared the file can fix it."""

    def __init__(self, path: str | Path, problem: str, *, line: int | None = None) -> None:
        self.path, self.line = str(path), line
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(" ".join(f"{where}: {problem}".split()))  # always one line


@dataclass(frozen=True)
class Comment:
    id: int
    text: str
    author: int | None = None
    moderated: int = 0  # Polis: 1 accepted, 0 not yet moderated, -1 moderated out
    timestamp: int = 0  # milliseconds since 1970, as Polis writes them
    is_meta: bool = False  # Polis's export does not carry it; Powershift sets it


@dataclass(frozen=True)
class Vote:
    participant: int
    statement: int
    vote: int  # 1 agree, -1 disagree, 0 pass
    timestamp: int = 0  # milliseconds; the latest vote of a participant on a statement wins


@dataclass(frozen=True)
class PolisExport:
    comments: list[Comment]
    votes: list[Vote]
    # Polis's own groups from participants-votes.csv (participant -> group id), if it was read.
    groups: dict[int, int] = field(default_factory=dict)
    source: str = ""

    @property
    def moderated_out(self) -> list[int]:
        return [c.id for c in self.comments if c.moderated < 0]


def _find(directory: Path, name: str) -> Path | None:
    for candidate in (directory / name, directory / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _table(path: Path, needed: Sequence[str]) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (checked to name `needed`) and (line number, values) for each data row."""
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise PolisExportError(path, f"cannot be read ({e}); check the path and that the file "
                               "is plain or gzipped CSV") from None
    except UnicodeDecodeError:
        raise PolisExportError(path, "is not UTF-8 text; save it as UTF-8 CSV") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    first = next(reader, None)
    if first is None:
        raise PolisExportError(path, "is empty; export the conversation again from Polis", line=1)
    header = [h.strip() for h in first]
    missing = [name for name in needed if name not in header]
    if missing:
        raise PolisExportError(path, f"the header has no column {', '.join(map(repr, missing))} "
                               f"(found {', '.join(header[:8])}); name the columns as Polis "
                               f"exports them: {', '.join(needed)}", line=1)

    def rows() -> Iterator[tuple[int, list[str]]]:
        start = reader.line_num + 1  # a quoted field may span lines: count where rows start
        for values in reader:
            if len(values) > 1 or (values and values[0].strip()):  # skip blank lines
                if len(values) != len(header):
                    raise PolisExportError(path, f"the row has {len(values)} values but the "
                                           f"header has {len(header)} columns; quote text "
                                           "holding commas", line=start)
                yield start, values
            start = reader.line_num + 1

    return header, rows()


def _rows(path: Path, needed: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row as a dict) for each data row, after checking the header."""
    header, rows = _table(path, needed)
    for line, values in rows:
        yield line, dict(zip(header, values, strict=True))


def _int(value: str, path: Path, line: int, column: str, *, blank: int | None = None) -> int:
    text = value.strip()
    if not text and blank is not None:
        return blank
    try:
        return int(text)  # the common case, fast
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if number != number or not number.is_integer():  # NaN or a fraction
        raise PolisExportError(path, f"{column} {text!r} is not a whole number; give an integer",
                               line=line)
    return int(number)


def read_comments(path: str | Path) -> list[Comment]:
    """Statements from comments.csv; ids must be unique."""
    path = Path(path)
    comments: list[Comment] = []
    seen: dict[int, int] = {}
    for line, row in _rows(path, _NEEDED_COMMENTS):
        cid = _int(row["comment-id"], path, line, "comment-id")
        if cid in seen:
            raise PolisExportError(path, f"comment-id {cid} is already used on line {seen[cid]}; "
                                   "give each statement its own id", line=line)
        seen[cid] = line
        moderated = _int(row.get("moderated", ""), path, line, "moderated", blank=0)
        if moderated not in VOTE_VALUES:
            raise PolisExportError(path, f"moderated is {moderated}; use 1 (accepted), 0 "
                                   "(unmoderated) or -1 (moderated out)", line=line)
        author = row.get("author-id", "").strip()
        comments.append(Comment(
            id=cid, text=row["comment-body"],
            author=_int(author, path, line, "author-id") if author else None,
            moderated=moderated,
            timestamp=_int(row.get("timestamp", ""), path, line, "timestamp", blank=0)))
    if not comments:
        raise PolisExportError(path, "holds no statements; a conversation needs at least one "
                               "comment row", line=2)
    return comments


_VOTE_TEXT = {"1": 1, "0": 0, "-1": -1}


def _vote(value: str, path: Path, line: int, column: str) -> int:
    if value in _VOTE_TEXT:
        return _VOTE_TEXT[value]
    vote = _int(value, path, line, column)
    if vote not in VOTE_VALUES:
        raise PolisExportError(path, f"vote {vote} is not -1, 0 or 1; use 1 agree, -1 "
                               "disagree, 0 pass", line=line)
    return vote


def _unknown(path: Path, line: int, statement: int, comments: Path | None) -> PolisExportError:
    return PolisExportError(path, f"a vote is for comment-id {statement}, which is not in "
                            f"{comments.name if comments else 'comments.csv'}; add the statement "
                            "or remove its votes", line=line)


def read_votes(path: str | Path, statements: Iterable[int] | None = None, *,
               comments_path: Path | None = None) -> list[Vote]:
    """Votes from votes.csv in file order; with `statements`, votes for others are an error."""
    path = Path(path)
    known = set(statements) if statements is not None else None
    votes: list[Vote] = []
    for line, row in _rows(path, _NEEDED_VOTES):
        statement = _int(row["comment-id"], path, line, "comment-id")
        if known is not None and statement not in known:
            raise _unknown(path, line, statement, comments_path)
        votes.append(Vote(participant=_int(row["voter-id"], path, line, "voter-id"),
                          statement=statement, vote=_vote(row["vote"], path, line, "vote"),
                          timestamp=_int(row.get("timestamp", ""), path, line, "timestamp",
                                         blank=0)))
    if not votes:
        raise PolisExportError(path, "holds no votes; there is nothing to analyse until "
                               "participants have voted", line=2)
    return votes


def read_participants_votes(path: str | Path, statements: Iterable[int] | None = None, *,
                            comments_path: Path | None = None
                            ) -> tuple[list[Vote], dict[int, int], list[int]]:
    """(votes, Polis's groups, statement ids of the columns) from participants-votes.csv.

    Participants without a group (Polis did not cluster them) are left out of the groups."""
    path = Path(path)
    known = set(statements) if statements is not None else None
    header, rows = _table(path, _NEEDED_PARTICIPANTS)
    # Statement columns are named by their ids; newer exports add others (such as xid).
    columns = [(pos, int(name)) for pos, name in enumerate(header)
               if name not in PARTICIPANT_COLUMNS and name.isdigit()]
    for _, sid in columns:
        if known is not None and sid not in known:
            raise _unknown(path, 1, sid, comments_path)
    at_participant, at_group = header.index("participant"), header.index("group-id")
    votes: list[Vote] = []
    groups: dict[int, int] = {}
    seen: dict[int, int] = {}
    for line, values in rows:
        participant = _int(values[at_participant], path, line, "participant")
        if participant in seen:
            raise PolisExportError(path, f"participant {participant} already has a row on line "
                                   f"{seen[participant]}; give each participant one row",
                                   line=line)
        seen[participant] = line
        if values[at_group].strip():
            groups[participant] = _int(values[at_group], path, line, "group-id")
        for pos, sid in columns:
            value = values[pos]
            if value:
                vote = _VOTE_TEXT.get(value)
                if vote is None:
                    if value.isspace():
                        continue
                    vote = _vote(value, path, line, f"column {header[pos]}")
                votes.append(Vote(participant, sid, vote))
    if not seen:
        raise PolisExportError(path, "holds no participants; export the conversation again "
                               "after people have voted", line=2)
    if not votes:
        raise PolisExportError(path, "holds no votes; there is nothing to analyse until "
                               "participants have voted", line=2)
    return votes, groups, [sid for _, sid in columns]


def read_groups(path: str | Path) -> dict[int, int]:
    """Only the group column of a participants-votes.csv (for `--groups-from`)."""
    return read_participants_votes(path)[1]


def read_export(directory: str | Path) -> PolisExport:
    """A Polis export folder: comments.csv with votes.csv, or participants-votes.csv (then
    statement texts come from comments.csv if present). Polis's groups are read when given."""
    folder = Path(directory)
    if not folder.is_dir():
        raise PolisExportError(folder, "is not a folder; give the folder holding the Polis "
                               "export (comments.csv and votes.csv)")
    comments_path = _find(folder, "comments.csv")
    votes_path = _find(folder, "votes.csv")
    pv_path = _find(folder, "participants-votes.csv")
    comments = read_comments(comments_path) if comments_path else None
    ids = [c.id for c in comments] if comments is not None else None
    groups: dict[int, int] = {}
    if votes_path and comments is not None:
        votes = read_votes(votes_path, ids, comments_path=comments_path)
        if pv_path:
            groups = read_participants_votes(pv_path, ids, comments_path=comments_path)[1]
    elif pv_path:
        votes, groups, columns = read_participants_votes(pv_path, ids, comments_path=comments_path)
        if comments is None:  # no texts: name the statements by their ids
            comments = [Comment(id=sid, text=f"statement {sid}") for sid in columns]
    else:
        absent = "comments.csv" if votes_path else "votes.csv"
        raise PolisExportError(folder, f"has no {absent} (and no participants-votes.csv); "
                               "give a Polis export folder with comments.csv and votes.csv")
    return PolisExport(comments=comments, votes=votes, groups=groups, source=str(folder))


def _datetime(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp / 1000, UTC).strftime("%a %b %d %H:%M:%S UTC %Y")


def _open(path: Path) -> io.TextIOWrapper:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "wb"), encoding="utf-8", newline="")
    return path.open("w", encoding="utf-8", newline="")


def _latest(votes: Iterable[Vote]) -> dict[tuple[int, int], Vote]:
    latest: dict[tuple[int, int], Vote] = {}
    for v in sorted(votes, key=lambda v: v.timestamp):  # stable: file order breaks ties
        latest[(v.participant, v.statement)] = v
    return latest


def write_export(directory: str | Path, comments: Sequence[Comment], votes: Iterable[Vote], *,
                 groups: Mapping[int, int] | None = None, gzip_votes: bool = False) -> None:
    """Write comments.csv, votes.csv and participants-votes.csv as Polis exports them."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    votes = list(votes)
    latest = _latest(votes)
    agrees: dict[int, int] = {}
    disagrees: dict[int, int] = {}
    for (_, sid), v in latest.items():
        if v.vote == 1:
            agrees[sid] = agrees.get(sid, 0) + 1
        elif v.vote == -1:
            disagrees[sid] = disagrees.get(sid, 0) + 1
    with _open(folder / "comments.csv") as out:
        w = csv.writer(out)
        w.writerow(COMMENT_COLUMNS)
        for c in comments:
            w.writerow([c.timestamp, _datetime(c.timestamp), c.id,
                        "" if c.author is None else c.author, agrees.get(c.id, 0),
                        disagrees.get(c.id, 0), c.moderated, c.text])
    with _open(folder / ("votes.csv.gz" if gzip_votes else "votes.csv")) as out:
        w = csv.writer(out)
        w.writerow(VOTE_COLUMNS)
        for v in votes:
            w.writerow([v.timestamp, _datetime(v.timestamp), v.statement, v.participant, v.vote])
    ids = [c.id for c in comments]
    authored: dict[int, int] = {}
    for c in comments:
        if c.author is not None:
            authored[c.author] = authored.get(c.author, 0) + 1
    by_participant: dict[int, dict[int, int]] = {}
    for (pid, sid), v in latest.items():
        by_participant.setdefault(pid, {})[sid] = v.vote
    with _open(folder / ("participants-votes.csv.gz" if gzip_votes
                         else "participants-votes.csv")) as out:
        w = csv.writer(out)
        w.writerow([*PARTICIPANT_COLUMNS, *ids])
        for pid in sorted(by_participant):
            mine = by_participant[pid]
            group = (groups or {}).get(pid)
            w.writerow([pid, "" if group is None else group, authored.get(pid, 0), len(mine),
                        sum(1 for x in mine.values() if x == 1),
                        sum(1 for x in mine.values() if x == -1),
                        *(mine.get(sid, "") for sid in ids)])
