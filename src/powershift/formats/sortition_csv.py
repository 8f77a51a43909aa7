"""Reading a panel's categories and people in the Sortition Foundation's CSV layout, so
organisations can move between tools.

- categories: `feature,value,min,max` (other columns, such as min_flex and max_flex, ignored);
- people: an id column (`id` unless told), one column per feature, any address columns.

Everything is checked before anything is returned; every problem is one line,
`FILE:LINE: what is wrong; how to fix it` (line 1 is the header).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from powershift.methods.sortition_model import (
    Person,
    Pool,
    Quota,
    Quotas,
    SortitionInputError,
    check,
)

CATEGORY_COLUMNS = ("feature", "value", "min", "max")


class SortitionCSVError(SortitionInputError):
    """A problem with a categories or people file."""


def _rows(path: str | Path, required: Sequence[str], what: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for each non-blank row; header names compared without case or spaces."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as e:
        raise SortitionCSVError(source, None, f"cannot be read ({e.strerror}); check the path "
                                "and that the file is readable") from None
    except UnicodeDecodeError:
        raise SortitionCSVError(source, None, "is not UTF-8 text; save it as CSV in "
                                "UTF-8") from None
    reader = csv.reader(text.splitlines())
    header = [h.strip() for h in next(reader, [])]
    lower = [h.lower() for h in header]
    missing = [c for c in required if c.lower() not in lower]
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        raise SortitionCSVError(source, 1, f"the {what} file has no column {names}; add "
                                f"{'it' if len(missing) == 1 else 'them'} to the header "
                                f"(found: {', '.join(header) or 'nothing'})")
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            raise SortitionCSVError(source, number, f"the row has {len(cells)} cells but the "
                                    f"header has {len(header)}; remove the extra cells or quote "
                                    "values holding commas")
        rows.append((number, {lower[i]: c.strip() for i, c in enumerate(cells)}
                     | {header[i]: c.strip() for i, c in enumerate(cells)}))
    return rows


def _whole(text: str, source: str, line: int, column: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise SortitionCSVError(source, line, f"{column} '{text}' is not a whole number; give "
                                "a whole number of people") from None


def read_categories(path: str | Path) -> Quotas:
    """The quotas: for each feature value, the fewest and most people on the panel."""
    source = str(path)
    quotas: list[Quota] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in _rows(path, CATEGORY_COLUMNS, "categories"):
        feature, value = row["feature"], row["value"]
        if not feature or not value:
            raise SortitionCSVError(source, line, "the feature or value is blank; give both")
        if (feature, value) in seen:
            raise SortitionCSVError(source, line, f"'{feature} {value}' is already on line "
                                    f"{seen[(feature, value)]}; give each value once")
        seen[(feature, value)] = line
        lo = _whole(row["min"], source, line, "min")
        hi = _whole(row["max"], source, line, "max")
        quotas.append(Quota(feature, value, lo, hi, line))
    if not quotas:
        raise SortitionCSVError(source, 1, "has no quotas; give a row per feature value "
                                "with its min and max")
        if lo < 0 or hi < 0:
            raise SortitionCSVError(source, line, f"'{feature} {value}' has a negative min or "
                                    "max; give whole numbers of 0 or more")
        if lo > hi:
            raise SortitionCSVError(source, line, f"'{feature} {value}' has min {lo} above max "
                                    f"{hi}; lower the min or raise the max")
    return Quotas(tuple(quotas), source)


def read_people(path: str | Path, quotas: Quotas, *, id_column: str = "id",
                address_columns: Sequence[str] = ()) -> Pool:
    """The pool of volunteers; `address_columns` (joined) make the household key."""
    source = str(path)
    features = list(quotas.features())
    rows = _rows(path, [id_column, *features, *address_columns], "people")
    known = {(q.feature, q.value) for q in quotas.quotas}
    people: list[Person] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        pid = row[id_column] if id_column in row else row.get(id_column.lower(), "")
        if not pid:
            raise SortitionCSVError(source, line, f"the '{id_column}' is blank; give every "
                                    "person an id")
        if pid in seen:
            raise SortitionCSVError(source, line, f"id '{pid}' is already on line {seen[pid]}; "
                                    "give every person a unique id")
        seen[pid] = line
        values: dict[str, str] = {}
        for feature in features:
            value = row.get(feature, row.get(feature.lower(), ""))
            if (feature, value) not in known:
                allowed = ", ".join(quotas.features()[feature])
                raise SortitionCSVError(source, line, f"'{feature}' is '{value}', which is not "
                                        f"a value in the categories ({allowed}); correct it, "
                                        "or add the value to the categories file")
            values[feature] = value
        home = None
        if address_columns:
            parts = [row.get(c, row.get(c.lower(), "")).strip().lower() for c in address_columns]
            home = "|".join(" ".join(p.split()) for p in parts) if any(parts) else None
        people.append(Person(pid, values, home, line))
    return Pool(tuple(people), source)


def read(categories: str | Path, people: str | Path, size: int, *, id_column: str = "id",
         address_columns: Sequence[str] = ()) -> tuple[Pool, Quotas]:
    """Both files, checked against each other and the panel size (not yet for feasibility)."""
    quotas = read_categories(categories)
    pool = read_people(people, quotas, id_column=id_column, address_columns=address_columns)
    check(pool, quotas, size)
    return pool, quotas
