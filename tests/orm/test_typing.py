"""mypy (strict) understands ignite_orm: the type tests pass, and type errors are caught.

``typing/check_types.py`` states with ``assert_type`` what users see (``Repository[Person]
.get(...)`` is ``Person | None``, ``scan()`` an ``Iterator[Person]``, the asyncio twins
the same once awaited ...); it must check clean.  The snippets below hold one deliberate
error each, which mypy must report on the marked line: a type test that cannot fail
proves nothing.  No server is needed.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from mypy import api

HERE = Path(__file__).resolve().parent
PYPROJECT = HERE.parents[1] / "pyproject.toml"
TYPE_TESTS = HERE / "typing" / "check_types.py"
QUERY_TYPE_TESTS = HERE / "typing" / "check_query_types.py"

PRELUDE = """\
from __future__ import annotations

from typing import Annotated

from typing_extensions import assert_type

from ignite_orm import AioDatabase, Database, IgniteModel, Key
from ignite_orm.query import col, func, select


class Person(IgniteModel, cache="people"):
    id: Annotated[int, Key]
    name: str


class Company(IgniteModel, cache="companies"):
    id: Annotated[int, Key]


def sync(db: Database) -> None:
    repo = db.repository(Person)
    # sync


async def aio(db: AioDatabase) -> None:
    repo = db.repository(Person)
    # aio
"""


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the module's runs (the first run fills it), apart from the repo's."""
    return tmp_path_factory.mktemp("mypy-cache")


def run_mypy(path: Path, cache: Path) -> tuple[int, str]:
    stdout, stderr, status = api.run(
        [
            "--config-file",
            str(PYPROJECT),
            "--strict",
            "--cache-dir",
            str(cache),
            "--no-error-summary",
            "--hide-error-context",
            str(path),
        ]
    )
    return status, stdout + stderr


@pytest.mark.parametrize("path", [TYPE_TESTS, QUERY_TYPE_TESTS], ids=lambda p: p.name)
def test_the_type_tests_check_clean(mypy_cache: Path, path: Path) -> None:
    assert "assert_type(" in path.read_text(encoding="utf-8")
    status, output = run_mypy(path, mypy_cache)
    assert status == 0, output
    assert output.strip() == "", output


#: (the function the line goes in, the line, a pattern of the error mypy must report for it)
WRONG = {
    "get_is_optional": (
        "sync",
        "found: int = repo.get(1)",
        r'has type "Person \| None", variable has type "int"',
    ),
    "assert_type_mismatch": (
        "sync",
        "assert_type(repo.get(1), Person)",
        r'Expression is of type "Person \| None", not "Person"',
    ),
    "put_takes_the_repositorys_model": (
        "sync",
        "repo.put(Company(id=1))",
        r'incompatible type "Company"; expected "Person"',
    ),
    "scan_yields_models": (
        "sync",
        "names: list[str] = list(repo.scan())",
        r'"Iterator\[Person\]"; expected "Iterable\[str\]"',
    ),
    "aio_scan_yields_models": (
        "aio",
        "names: list[str] = [p async for p in repo.scan()]",
        r"incompatible type List\[Person\]; expected List\[str\]",
    ),
    "aio_select_returns_the_model": (
        "aio",
        "companies: list[Company] = await repo.select()",
        r'"list\[Person\]", variable has type "list\[Company\]"',
    ),
    "aio_get_must_be_awaited": (
        "aio",
        "found: Person | None = repo.get(1)",
        r'"Coroutine\[Any, Any, Person \| None\]"',
    ),
    "query_first_is_optional": (
        "sync",
        "assert_type(db.query(select(Person)).first(), Person)",
        r'Expression is of type "Person \| None", not "Person"',
    ),
    "query_projection_is_a_typed_tuple": (
        "sync",
        "rows: list[tuple[str, int]] = db.query(select(col(Person.id), col(Person.name))).all()",
        r'"list\[tuple\[int, str\]\]", variable has type "list\[tuple\[str, int\]\]"',
    ),
    "query_aggregate_may_be_null": (
        "sync",
        "top: int = db.query(select(func.max(col(Person.id))).select_from(Person)).one()[0]",
        r'has type "int \| None", variable has type "int"',
    ),
    "query_join_yields_both_models": (
        "sync",
        "print([c.name for _, c in db.query(select(Person, Company))])",
        r'"Company" has no attribute "name"',
    ),
    "query_in_takes_the_column_type": (
        "sync",
        "select(Person).where(col(Person.name).in_([1]))",
        r'List item 0 has incompatible type "int"; expected "str"',
    ),
    "query_where_takes_conditions": (
        "sync",
        "select(Person).where(Person.name)",
        r'incompatible type "str"; expected "Expr\[bool\] \| bool"',
    ),
    "aio_query_all_must_be_awaited": (
        "aio",
        "people: list[Person] = db.query(select(Person)).all()",
        r'"Coroutine\[Any, Any, list\[Person\]\]"',
    ),
    "session_get_is_optional": (
        "sync",
        "assert_type(db.session().get(Person, 1), Person)",
        r'Expression is of type "Person \| None", not "Person"',
    ),
}


@pytest.mark.parametrize("case", sorted(WRONG))
def test_a_type_error_is_reported(case: str, mypy_cache: Path, tmp_path: Path) -> None:
    function, line, pattern = WRONG[case]
    source = PRELUDE.replace(f"    # {function}\n", f"    {line}\n")
    path = tmp_path / f"wrong_{case}.py"
    path.write_text(source, encoding="utf-8")
    lineno = source.splitlines().index(f"    {line}") + 1

    status, output = run_mypy(path, mypy_cache)

    assert status == 1, f"mypy accepted:\n{textwrap.indent(source, '    ')}\n{output}"
    errors = [e for e in output.splitlines() if ": error: " in e]
    assert len(errors) == 1, output
    assert errors[0].startswith(f"{path}:{lineno}: error: "), output
    assert re.search(pattern, errors[0]), output
