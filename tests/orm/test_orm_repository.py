"""The repository API against a live node: documented results, input rejected before any
byte is sent, and validation of results on request.

"Before any byte is sent" is observed with an ``ignite_wire.monitoring`` listener on the
database's client: the bad call must raise and the listener must have seen no request.
"""

import itertools
from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

import pytest
from pydantic import Field, ValidationError

from ignite_orm import (
    AffinityKey,
    IgniteModel,
    Indexed,
    Int32,
    InvalidKeyError,
    Key,
    StoredValueError,
)


class OrmRepoCompany(IgniteModel, cache="orm_repo_companies"):
    id: Annotated[int, Key]
    name: Annotated[str, Indexed]
    size: Annotated[int, Field(ge=0)] = 0


class OrmRepoPerson(IgniteModel, cache="orm_repo_people"):
    id: Annotated[int, Key]
    company_id: Annotated[int, Key, AffinityKey]
    name: Annotated[str, Field(max_length=20)]
    age: Annotated[int, Int32, Field(ge=0, le=150)] | None = None


class OrmRepoTag(IgniteModel, cache="orm_repo_tags"):
    code: Annotated[str, Key]
    uid: Annotated[UUID, Indexed]


MODELS = (OrmRepoCompany, OrmRepoPerson, OrmRepoTag)


@pytest.fixture
def repos(db: Any, schema: Any) -> Any:
    schema(*MODELS)
    return db


def people(n: int) -> list[OrmRepoPerson]:
    return [
        OrmRepoPerson(id=i, company_id=i % 3, name=f"person {i:02d}", age=20 + i) for i in range(n)
    ]


# -- key-value -------------------------------------------------------------------------------


def test_single_key_operations(repos: Any) -> None:
    companies = repos.repository(OrmRepoCompany)
    acme = OrmRepoCompany(id=1, name="Acme", size=10)
    assert companies.get(1) is None
    assert companies.exists(1) is False
    assert companies.count() == 0

    assert companies.put(acme) is None
    assert companies.get(1) == acme
    assert companies.get(id=1) == acme
    assert companies.get(acme) == acme  # a model instance stands for its key
    assert companies.exists(1) is True
    assert companies.count() == 1

    # insert: only if absent
    assert companies.insert(OrmRepoCompany(id=1, name="Other")) is False
    assert companies.get(1) == acme
    assert companies.insert(OrmRepoCompany(id=2, name="Beta")) is True
    # replace: only if present
    assert companies.replace(OrmRepoCompany(id=3, name="Ghost")) is False
    assert companies.exists(3) is False
    assert companies.replace(OrmRepoCompany(id=2, name="Beta 2")) is True
    assert companies.get(2) == OrmRepoCompany(id=2, name="Beta 2")
    # replace_if: only if the stored object still equals the expected one
    stale = OrmRepoCompany(id=1, name="Acme", size=9)
    assert companies.replace_if(stale, OrmRepoCompany(id=1, name="No")) is False
    assert companies.get(1) == acme
    assert companies.replace_if(acme, OrmRepoCompany(id=1, name="Acme 2")) is True
    assert companies.get(1) == OrmRepoCompany(id=1, name="Acme 2")
    with pytest.raises(InvalidKeyError, match="cannot change the key"):
        companies.replace_if(OrmRepoCompany(id=1, name="Acme 2"), OrmRepoCompany(id=5, name="x"))

    # many: put_many, get_many (only the keys that exist), delete_many
    companies.put_many([OrmRepoCompany(id=i, name=f"c{i}") for i in range(10, 20)])
    assert companies.count() == 12
    got = companies.get_many([10, 11, 99, 19])
    assert isinstance(got, list)
    assert sorted(got, key=lambda c: c.id) == [
        OrmRepoCompany(id=10, name="c10"),
        OrmRepoCompany(id=11, name="c11"),
        OrmRepoCompany(id=19, name="c19"),
    ]
    assert companies.get_many([]) == []
    assert companies.delete_many([10, 11, 12, 99]) is None
    assert companies.count() == 9
    assert not any(companies.exists(i) for i in (10, 11, 12))

    # delete: whether it existed
    assert companies.delete(1) is True
    assert companies.delete(1) is False
    assert companies.delete(OrmRepoCompany(id=2, name="Beta 2")) is True
    assert companies.count() == 7
    companies.clear()
    assert companies.count() == 0


def test_composite_key_operations(repos: Any) -> None:
    repo = repos.repository(OrmRepoPerson)
    everyone = people(12)
    repo.put_many(everyone)
    assert repo.count() == 12
    p = everyone[4]
    # the key as fields, as a dict, as a tuple in key-field order, as a model
    assert repo.get(id=4, company_id=1) == p
    assert repo.get({"id": 4, "company_id": 1}) == p
    assert repo.get((4, 1)) == p
    assert repo.get(p) == p
    assert repo.get(id=4, company_id=2) is None  # the whole key matters
    assert repo.exists(id=4, company_id=1)
    found = repo.get_many([{"id": 1, "company_id": 1}, (2, 2), (3, 1), p])
    assert sorted(found, key=lambda x: x.id) == [everyone[1], everyone[2], everyone[4]]
    assert repo.delete(id=1, company_id=1) is True
    repo.delete_many([(2, 2), {"id": 3, "company_id": 0}])
    assert repo.count() == 9
    assert sorted(m.id for m in repo.scan()) == [0, *range(4, 12)]


def test_string_and_uuid_keys(repos: Any) -> None:
    tags = repos.repository(OrmRepoTag)
    tag = OrmRepoTag(code="py", uid=UUID(int=5))
    tags.put(tag)
    assert tags.get("py") == tag
    assert tags.select("uid = ?", UUID(int=5)) == [tag]


def scan_ops(log: Any) -> list[str]:
    return [op for op in log.ops if op.startswith("QUERY_SCAN")]


def test_scan_streams_page_by_page(
    repos: Any, connect: Callable[..., Any], node_endpoints: Any, request_log: Any
) -> None:
    repos.repository(OrmRepoPerson).put_many(people(50))
    db = connect(node_endpoints, event_listeners=[request_log])
    repo = db.repository(OrmRepoPerson)
    request_log.ops.clear()
    scan = repo.scan(page_size=7)
    first = list(itertools.islice(scan, 3))
    assert len(first) == 3
    assert all(isinstance(m, OrmRepoPerson) for m in first)
    # three objects need the first page only (the client may fetch binary metadata too),
    # and the cursor fetches at most one page ahead while it is read
    assert scan_ops(request_log) in (["QUERY_SCAN"], ["QUERY_SCAN", "QUERY_SCAN_CURSOR_GET_PAGE"])
    scan.close()
    request_log.ops.clear()
    everything = list(repo.scan(page_size=7))
    assert sorted(everything, key=lambda m: m.id) == people(50)
    # 50 objects in pages of 7: the first page and seven more
    assert scan_ops(request_log) == ["QUERY_SCAN"] + ["QUERY_SCAN_CURSOR_GET_PAGE"] * 7


# -- SQL ---------------------------------------------------------------------------------------


def test_select_and_sql(repos: Any) -> None:
    repo = repos.repository(OrmRepoPerson)
    everyone = people(10)
    repo.put_many(everyone)
    assert sorted(repo.select(), key=lambda m: m.id) == everyone
    assert repo.select("age > ? ORDER BY id", 26) == everyone[7:]
    assert repo.select("ORDER BY id DESC LIMIT 2") == [everyone[9], everyone[8]]
    assert repo.select("company_id = ? AND name LIKE ? ORDER BY id", 1, "person 0%") == [
        everyone[1],
        everyone[4],
        everyone[7],
    ]
    # selecting _KEY, _VAL gives models
    models = list(repo.sql("SELECT _KEY, _VAL FROM OrmRepoPerson WHERE id < ? ORDER BY id", 2))
    assert models == everyone[:2]
    # a projection gives named tuples with lower-case field names and typed values
    rows = list(
        repo.sql(
            "SELECT name, age, company_id FROM OrmRepoPerson WHERE id IN (?, ?) ORDER BY id", 2, 3
        )
    )
    assert [tuple(r) for r in rows] == [("person 02", 22, 2), ("person 03", 23, 0)]
    assert (rows[0].name, rows[0].age, rows[0].company_id) == ("person 02", 22, 2)
    (total,) = repo.sql("SELECT COUNT(*) AS n, SUM(age) AS total_age FROM OrmRepoPerson")
    assert (total.n, total.total_age) == (10, sum(p.age or 0 for p in everyone))
    assert list(repo.sql("SELECT name FROM OrmRepoPerson WHERE id < 0")) == []


# -- bad input is rejected before any byte is sent ---------------------------------------------


@pytest.fixture
def watched(repos: Any, connect: Callable[..., Any], node_endpoints: Any, request_log: Any) -> Any:
    """A database whose every request the ``request_log`` sees."""
    db = connect(node_endpoints, event_listeners=[request_log])
    db.repository(OrmRepoCompany).put(OrmRepoCompany(id=1, name="Acme"))
    db.repository(OrmRepoPerson).put(people(1)[0])
    request_log.ops.clear()
    return db


def _wrong_type() -> OrmRepoCompany:
    """A model holding a value of the wrong type: only model_construct can make one, since
    construction and assignments are validated."""
    return OrmRepoCompany.model_construct(id=7, name=5)


def test_an_instance_cannot_be_made_invalid_by_assignment() -> None:
    company = OrmRepoCompany(id=7, name="Acme")
    with pytest.raises(ValidationError):
        company.name = 5  # type: ignore[assignment]
    assert company.name == "Acme"


PERSON = OrmRepoPerson(id=1, company_id=1, name="p")
COMPANY = OrmRepoCompany(id=1, name="Acme")

BAD_CALLS: list[Any] = [
    # a model of the wrong class
    pytest.param("companies", "put", (PERSON,), TypeError, id="put-wrong-class"),
    pytest.param("companies", "put_many", ([COMPANY, PERSON],), TypeError, id="put_many-one-wrong"),
    pytest.param("companies", "insert", (PERSON,), TypeError, id="insert-wrong-class"),
    pytest.param("companies", "replace", (PERSON,), TypeError, id="replace-wrong-class"),
    pytest.param(
        "companies", "replace_if", (COMPANY, PERSON), TypeError, id="replace_if-wrong-class"
    ),
    pytest.param("companies", "get", (PERSON,), InvalidKeyError, id="get-by-wrong-class"),
    pytest.param("companies", "delete", (PERSON,), InvalidKeyError, id="delete-wrong-class"),
    # a key of the wrong type
    pytest.param("companies", "get", ("5",), InvalidKeyError, id="get-str-for-int"),
    pytest.param("companies", "get", (5.0,), InvalidKeyError, id="get-float-for-int"),
    pytest.param("companies", "get", (True,), InvalidKeyError, id="get-bool-for-int"),
    pytest.param("companies", "exists", ("1",), InvalidKeyError, id="exists-str-for-int"),
    pytest.param("companies", "delete", ("1",), InvalidKeyError, id="delete-str-for-int"),
    pytest.param("companies", "get_many", ([1, "2"],), InvalidKeyError, id="get_many-one-bad"),
    pytest.param(
        "companies", "delete_many", ([1, "2"],), InvalidKeyError, id="delete_many-one-bad"
    ),
    pytest.param("tags", "get", (5,), InvalidKeyError, id="get-int-for-str"),
    # composite keys: missing, extra, positional, wrongly typed fields
    pytest.param("people", "get", (1,), InvalidKeyError, id="composite-positional"),
    pytest.param("people", "get", ({"id": 1},), InvalidKeyError, id="composite-missing"),
    pytest.param(
        "people",
        "get",
        ({"id": 1, "company_id": 1, "x": 2},),
        InvalidKeyError,
        id="composite-extra",
    ),
    pytest.param(
        "people", "get", ({"id": "1", "company_id": 1},), InvalidKeyError, id="composite-str"
    ),
    pytest.param("people", "get", ((1,),), InvalidKeyError, id="composite-short-tuple"),
    pytest.param("people", "delete_many", ([{"id": 1}],), InvalidKeyError, id="composite-many"),
    # a model holding a value of the wrong type
    pytest.param("companies", "put", (_wrong_type(),), ValueError, id="put-invalid-model"),
]


@pytest.mark.parametrize(("repo_name", "method", "args", "error"), BAD_CALLS)
def test_bad_input_raises_before_any_request(
    watched: Any, request_log: Any, repo_name: str, method: str, args: Any, error: Any
) -> None:
    model = {"companies": OrmRepoCompany, "people": OrmRepoPerson, "tags": OrmRepoTag}
    repo = watched.repository(model[repo_name])
    with pytest.raises(error):
        getattr(repo, method)(*args)
    assert request_log.ops == []


def test_composite_key_fields_by_name(watched: Any, request_log: Any) -> None:
    repo = watched.repository(OrmRepoPerson)
    with pytest.raises(InvalidKeyError, match=r"\(id, company_id\)"):
        repo.get(id=1)
    with pytest.raises(InvalidKeyError, match=r"OrmRepoPerson\.id"):
        repo.exists(id="1", company_id=1)
    with pytest.raises(InvalidKeyError):
        repo.get(1, company_id=1)  # both ways at once
    assert request_log.ops == []
    # and the same repository works once the input is right
    assert repo.get(id=0, company_id=0) == people(1)[0]
    assert request_log.ops == ["CACHE_GET"]


def test_nothing_of_a_rejected_batch_is_stored(watched: Any) -> None:
    companies = watched.repository(OrmRepoCompany)
    with pytest.raises(TypeError):
        companies.put_many([OrmRepoCompany(id=50, name="ok"), PERSON])
    with pytest.raises(ValueError, match="name"):
        companies.put_many([OrmRepoCompany(id=51, name="ok"), _wrong_type()])
    assert companies.get_many([50, 51]) == []


# -- validation on request ---------------------------------------------------------------------


def test_validate_true_revalidates_results(repos: Any, sql_rows: Any) -> None:
    """Rows written by SQL bypass pydantic: only ``validate=True`` notices a violation."""
    sql_rows("INSERT INTO OrmRepoCompany (id, name, size) VALUES (1, 'ok', 3), (2, 'bad', -5)")
    sql_rows(
        "INSERT INTO OrmRepoPerson (id, company_id, name, age) VALUES (1, 1, ?, 30)",
        "x" * 25,  # longer than max_length=20
    )
    companies = repos.repository(OrmRepoCompany)
    persons = repos.repository(OrmRepoPerson)

    # the trusted fast path returns what is stored
    assert companies.get(2) == OrmRepoCompany.model_construct(id=2, name="bad", size=-5)
    assert persons.get(id=1, company_id=1) is not None
    assert len(companies.get_many([1, 2])) == 2
    assert len(list(companies.scan())) == 2
    assert len(companies.select()) == 2
    assert len(list(companies.sql("SELECT _KEY, _VAL FROM OrmRepoCompany"))) == 2

    # validate=True on every read path: a typed error naming model, key and field
    assert companies.get(1, validate=True) == OrmRepoCompany(id=1, name="ok", size=3)
    with pytest.raises(StoredValueError, match="size"):
        companies.get(2, validate=True)
    with pytest.raises(StoredValueError, match="name"):
        persons.get(id=1, company_id=1, validate=True)
    with pytest.raises(StoredValueError):
        companies.get_many([1, 2], validate=True)
    with pytest.raises(StoredValueError):
        list(companies.scan(validate=True))
    with pytest.raises(StoredValueError):
        companies.select("ORDER BY id", validate=True)
    with pytest.raises(StoredValueError):
        list(companies.sql("SELECT _KEY, _VAL FROM OrmRepoCompany", validate=True))
    assert companies.select("id = ?", 1, validate=True) == [OrmRepoCompany(id=1, name="ok", size=3)]
