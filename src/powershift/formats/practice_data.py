"""The power-shifting practice framework as data: capabilities, the destination checklist and a
card deck, read from TOML (the shipped starter, `measures/data/shifting_power.toml`) or a deck
from CSV (an organisation's own). Plain Python: the measures app turns these into rows."""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CAPABILITY_COUNT = 10
DECK_COLUMNS = ("capability", "title", "task")
TITLE_MAX = 120
TASK_MAX = 1000


class PracticeDataError(ValueError):
    """One line: where the data is wrong and how to fix it."""


@dataclass(frozen=True)
class CapabilityText:
    number: int
    title: str  # "" for a slot still to be filled in
    description: str


@dataclass(frozen=True)
class ChecklistGroup:
    group: str
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class CardText:
    capability: int
    title: str
    task: str


@dataclass(frozen=True)
class Framework:
    capabilities: tuple[CapabilityText, ...]
    checklist: tuple[ChecklistGroup, ...]
    cards: tuple[CardText, ...]


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise PracticeDataError(f"{where}: {key} must be text")
    return " ".join(value.split())


def _card(capability: object, title: str, task: str, where: str) -> CardText:
    try:
        number = int(str(capability).strip())
    except ValueError:
        raise PracticeDataError(f"{where}: capability '{capability}' is not a number; write 1 to "
                                f"{CAPABILITY_COUNT}") from None
    if not 1 <= number <= CAPABILITY_COUNT:
        raise PracticeDataError(f"{where}: capability {number} is out of range; write 1 to "
                                f"{CAPABILITY_COUNT}")
    title, task = " ".join(title.split()), " ".join(task.split())
    if not title or not task:
        raise PracticeDataError(f"{where}: a card needs a title and a task")
    if len(title) > TITLE_MAX or len(task) > TASK_MAX:
        raise PracticeDataError(f"{where}: keep the title to {TITLE_MAX} and the task to "
                                f"{TASK_MAX} characters")
    return CardText(number, title, task)


def read_framework(path: Path) -> Framework:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    capabilities = tuple(
        CapabilityText(int(c["number"]), _text(c, "title", f"{path}: capability {c.get('number')}"),
                       _text(c, "description", f"{path}: capability {c.get('number')}"))
        for c in data.get("capability", []))
    numbers = sorted(c.number for c in capabilities)
    if numbers != list(range(1, CAPABILITY_COUNT + 1)):
        raise PracticeDataError(f"{path}: capabilities must be numbered 1 to {CAPABILITY_COUNT} once each")
    checklist = tuple(ChecklistGroup(str(g["group"]), str(g["heading"]),
                                     tuple(" ".join(str(i).split()) for i in g["items"]))
                      for g in data.get("checklist", []))
    cards = tuple(_card(c.get("capability"), str(c.get("title", "")), str(c.get("task", "")),
                        f"{path}: card {n}") for n, c in enumerate(data.get("card", []), start=1))
    return Framework(capabilities, checklist, cards)


def read_deck_csv(text: str, source: str = "deck.csv") -> list[CardText]:
    """Cards from CSV with columns capability,title,task (a header row first). Every row is
    checked before any is returned; the first problem is raised as `SOURCE:LINE: ...`."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in DECK_COLUMNS if c not in header]
    if missing:
        raise PracticeDataError(f"{source}:1: missing column {', '.join(missing)}; the header must be "
                                f"{','.join(DECK_COLUMNS)}")
    cards = []
    for row in reader:
        clean = {(k or "").strip().lower(): (v or "") for k, v in row.items()}
        cards.append(_card(clean["capability"], clean["title"], clean["task"],
                           f"{source}:{reader.line_num}"))
    if not cards:
        raise PracticeDataError(f"{source}: no cards; add one row per card under the header")
    return cards
