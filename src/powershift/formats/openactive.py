"""Reading the OpenActive Activity List (https://openactive.io/activity-list), a SKOS vocabulary
of sports and physical activities published as JSON-LD (CC BY 4.0), so directory listings can be
tagged with the same activity terms other open-activity data uses.

`read_activity_list(path)` checks the whole file and returns its concepts; a problem raises
`OrukError` naming the file (and the concept's position) and the fix. `.gz` files are read too.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from powershift.formats.oruk import OrukError

VOCABULARY = "openactive-activity-list"
MAX_CODE = 100  # the length of a taxonomy term's code in the directory


@dataclass(frozen=True)
class Concept:
    id: str  # the concept's URI, e.g. https://openactive.io/activity-list#<uuid>
    label: str
    synonyms: tuple[str, ...]  # its alternative labels ("Lawn Bowls" for Bowls)
    broader: tuple[str, ...]  # URIs of its parents
    definition: str


def _text(path: Path) -> str:
    try:
        raw = path.read_bytes()
        return (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8-sig")
    except FileNotFoundError:
        raise OrukError(str(path), "there is no such file; check the path") from None
    except (OSError, UnicodeDecodeError, EOFError) as e:
        raise OrukError(str(path), f"the file cannot be read as UTF-8 text ({e}); "
                        "download the activity list again") from None


def _strings(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value] if value else []
    return tuple(str(x).strip() for x in items if str(x).strip())


def read_activity_list(path: str | Path) -> list[Concept]:
    """Every concept of the list, in the file's order."""
    source = Path(path)
    try:
        data = json.loads(_text(source))
    except json.JSONDecodeError as e:
        raise OrukError(str(source), f"this is not JSON ({e.msg}); use the list's JSON-LD file",
                        line=e.lineno) from None
    concepts = data.get("concept") if isinstance(data, dict) else None
    if not isinstance(concepts, list) or not concepts:
        raise OrukError(str(source), "there is no 'concept' list; this does not look like the "
                        "OpenActive Activity List (activity-list.jsonld)")
    out: list[Concept] = []
    seen: set[str] = set()
    for number, item in enumerate(concepts, start=1):
        where = f"concept {number}"
        if not isinstance(item, dict):
            raise OrukError(str(source), f"{where} is not an object; fix or remove it")
        cid, label = str(item.get("id") or "").strip(), str(item.get("prefLabel") or "").strip()
        if not cid or not label:
            raise OrukError(str(source), f"{where} has no {'id' if not cid else 'prefLabel'}; "
                            "every concept needs both")
        if len(cid) > MAX_CODE:
            raise OrukError(str(source), f"{where} has an id longer than {MAX_CODE} characters "
                            f"({cid[:40]}...); shorten it")
        if cid in seen:
            raise OrukError(str(source), f"{where} repeats the id {cid}; give each concept its own")
        seen.add(cid)
        out.append(Concept(cid, label, _strings(item.get("altLabel")), _strings(item.get("broader")),
                           str(item.get("definition") or "").strip()))
    unknown = sorted({b for c in out for b in c.broader} - seen)
    if unknown:
        raise OrukError(str(source), f"a concept's broader term {unknown[0]} is not in the list; "
                        "use the complete list file")
    return out
