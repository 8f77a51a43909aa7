"""The Sortition Foundation CSV reader: a real example from the reference tool's repository, and
every bad-input case of issue 4, each naming the file, the line and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from powershift.formats.sortition_csv import read, read_categories, read_people
from powershift.methods.sortition_model import SortitionInputError

DATA = Path(__file__).parent.parent / "data" / "sortition"

CATEGORIES = """feature,value,min,max
gender,Female,2,3
gender,Male,2,3
age,16-34,1,3
age,35+,1,4
"""
PEOPLE = "id,gender,age,address\n" + "".join(
    f"p{i},{'Female' if i % 2 else 'Male'},{'16-34' if i % 3 else '35+'},{i} High St\n"
    for i in range(1, 11))


def files(tmp_path: Path, categories: str = CATEGORIES, people: str = PEOPLE) -> tuple[Path, Path]:
    c, p = tmp_path / "categories.csv", tmp_path / "people.csv"
    c.write_text(categories)
    p.write_text(people)
    return c, p


def test_reads_the_reference_tools_example() -> None:
    pool, quotas = read(DATA / "sf_example" / "categories.csv", DATA / "sf_example" / "people.csv",
                        22, address_columns=["primary_address1", "primary_zip"])
    assert len(pool.people) == 150 and len(quotas.quotas) == 20
    assert list(quotas.features()) == ["Gender", "age_bracket", "edu_level", "geo_bucket"]
    first = pool.people[0]
    assert (first.id, first.line, first.features["Gender"]) == ("p0", 2, "Male")
    assert first.household == "primary_address10|primary_zip0"
    assert quotas.find("age_bracket", "16-29").line == 6


def test_reads_a_small_pool_with_households(tmp_path: Path) -> None:
    c, p = files(tmp_path, people=PEOPLE.replace("3 High St", "1  high st"))
    pool, _ = read(c, p, 5, address_columns=["address"])
    assert pool.people[0].household == pool.people[2].household == "1 high st"


def expect(error: pytest.ExceptionInfo[SortitionInputError], path: Path, line: int, *words: str) -> None:
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: ")
    for word in words:
        assert word in message, message


def test_missing_category_column(tmp_path: Path) -> None:
    c, p = files(tmp_path, categories=CATEGORIES.replace(",max", ",maximum"))
    with pytest.raises(SortitionInputError) as e:
        read(c, p, 5)
    expect(e, c, 1, "no column 'max'", "add it to the header")


def test_missing_people_column(tmp_path: Path) -> None:
    c, p = files(tmp_path, people=PEOPLE.replace("id,gender,age", "id,sex,age"))
    with pytest.raises(SortitionInputError) as e:
        read(c, p, 5)
    expect(e, p, 1, "no column 'gender'", "add it to the header")


def test_missing_address_column(tmp_path: Path) -> None:
    c, p = files(tmp_path)
    with pytest.raises(SortitionInputError) as e:
        read(c, p, 5, address_columns=["postcode"])
    expect(e, p, 1, "no column 'postcode'")


def test_value_not_in_categories(tmp_path: Path) -> None:
    c, p = files(tmp_path, people=PEOPLE.replace("p4,Male", "p4,Woman"))
    with pytest.raises(SortitionInputError) as e:
        read(c, p, 5)
    expect(e, p, 5, "'gender' is 'Woman'", "(Female, Male)", "add the value to the categories")


def test_min_above_max(tmp_path: Path) -> None:
    c, p = files(tmp_path, categories=CATEGORIES.replace("age,16-34,1,3", "age,16-34,4,3"))
    with pytest.raises(SortitionInputError) as e:
        read(c, p, 5)
    expect(e, c, 4, "min 4 above max 3", "lower the min or raise the max")


def test_not_a_number(tmp_path: Path) -> None:
    c, p = files(tmp_path, categories=CATEGORIES.replace("gender,Male,2,3", "gender,Male,two,3"))
    with pytest.raises(SortitionInputError) as e:
        read_categories(c)
    expect(e, c, 3, "min 'two' is not a whole number", "give a whole number")


def test_mins_add_up_to_more_than_the_panel(tmp_path: Path) -> None:
    c, p = files(tmp_path)
    with pytest.raises(SortitionInputError) as e:
        read(c, p, 3)
    expect(e, c, 2, "mins of 'gender' add up to 4, more than the panel of 3", "at most 3")


def test_maxes_add_up_to_less_than_the_panel(tmp_path: Path) -> None:
    c, p = files(tmp_path)
    with pytest.raises(SortitionInputError) as e:
        read(c, p, 7)
    expect(e, c, 2, "maxes of 'gender' add up to 6, fewer than the panel of 7", "at least 7")


def test_pool_smaller_than_panel(tmp_path: Path) -> None:
    c, p = files(tmp_path, categories=CATEGORIES.replace(",3\n", ",9\n").replace(",4\n", ",9\n"),
                 people="id,gender,age,address\np1,Female,35+,a\np2,Male,35+,b\n")
    with pytest.raises(SortitionInputError) as e:
        read(c, p, 5)
    expect(e, p, 1, "the pool has 2 people, fewer than the panel of 5", "recruit more")


def test_duplicate_id(tmp_path: Path) -> None:
    c, p = files(tmp_path, people=PEOPLE.replace("p7,", "p2,"))
    with pytest.raises(SortitionInputError) as e:
        read_people(p, read_categories(c))
    expect(e, p, 8, "id 'p2' is already on line 3", "unique id")


def test_duplicate_category(tmp_path: Path) -> None:
    c, _ = files(tmp_path, categories=CATEGORIES + "gender,Male,1,2\n")
    with pytest.raises(SortitionInputError) as e:
        read_categories(c)
    expect(e, c, 6, "already on line 3", "give each value once")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(SortitionInputError, match="cannot be read"):
        read_categories(tmp_path / "nowhere.csv")
