"""What the ORM writes is a standard binary object, and what others write is a model.

Acceptance: "A model written by the ORM is read by pyignite as a binary object with the
same fields, and a binary object of the same type written by pyignite is read as the
model."  pyignite 0.6.1 is connected to the same node as the ORM (sync and asyncio).
The types carry Java-style names (``type_name=``), as when Java services share the data.

pyignite's own conventions, never ours (see tests/wire/server/test_interop.py): dates
come back as naive local datetimes (compared as instants), collections and maps as
``(kind, items)`` pairs, and it normalises Decimals (``12.50`` is read as ``12.5``), so
Decimals are compared by value.
"""

# ruff: noqa: RUF012  (pydantic copies mutable defaults; ruff cannot see IgniteModel is one)

import enum
from collections import OrderedDict
from collections.abc import Iterator
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

import pyignite
import pyignite.datatypes as pd
import pytest

from ignite_orm import AffinityKey, IgniteModel, Int32, Key, Precision
from ignite_wire.testing import IgniteCluster

UTC = timezone.utc


class Color(str, enum.Enum):
    RED = "red"
    GREEN = "green"


class OrmIoAddress(IgniteModel, type_name="com.example.orm.Address"):
    street: str
    zip: Annotated[int, Int32]


class OrmIoCompany(IgniteModel, cache="orm_io_companies", type_name="com.example.orm.Company"):
    id: Annotated[int, Key]
    name: str


class OrmIoPerson(IgniteModel, cache="orm_io_people", type_name="com.example.orm.Person"):
    id: Annotated[int, Key]
    company_id: Annotated[int, Key, AffinityKey]
    name: str
    age: Annotated[int, Int32] | None = None
    salary: Annotated[Decimal, Precision(12, 2)] = Decimal("0")
    born: date
    active: bool = True
    uid: UUID
    score: float = 0.0
    color: Color = Color.RED
    tags: list[str] = []
    scores: dict[str, int] = {}
    address: OrmIoAddress | None = None


# pyignite's declarations of the same types (field types as the ORM registers them)
class PyCompany(
    metaclass=pyignite.GenericObjectMeta,
    type_name="com.example.orm.Company",
    schema=OrderedDict([("name", pd.String)]),
):
    pass


class PyPersonKey(
    metaclass=pyignite.GenericObjectMeta,
    type_name="com.example.orm.PersonKey",
    schema=OrderedDict([("id", pd.LongObject), ("company_id", pd.LongObject)]),
):
    pass


class PyAddress(
    metaclass=pyignite.GenericObjectMeta,
    type_name="com.example.orm.Address",
    schema=OrderedDict([("street", pd.String), ("zip", pd.IntObject)]),
):
    pass


class PyPerson(
    metaclass=pyignite.GenericObjectMeta,
    type_name="com.example.orm.Person",
    schema=OrderedDict(
        [
            ("name", pd.String),
            ("age", pd.IntObject),
            ("salary", pd.DecimalObject),
            ("born", pd.DateObject),
            ("active", pd.BoolObject),
            ("uid", pd.UUIDObject),
            ("score", pd.DoubleObject),
            ("color", pd.String),
            ("tags", pd.CollectionObject),
            ("scores", pd.MapObject),
            ("address", pd.BinaryObject),
        ]
    ),
):
    pass


UID = UUID("00112233-4455-6677-8899-aabbccddeeff")


@pytest.fixture
def py(ignite_node: IgniteCluster) -> Iterator[Any]:
    """A pyignite client on the session node."""
    host, port = ignite_node.node(0).endpoint
    client = pyignite.Client()
    client.connect(host, port)
    yield client
    client.close()


@pytest.fixture
def models(db: Any, schema: Any) -> None:
    schema(OrmIoCompany, OrmIoPerson)


def type_name(py: Any, model: type[IgniteModel], *, key: bool = False) -> str:
    """The name under which the cluster knows ``model``'s value (or key) type."""
    info = model.__ignite__
    cls: Any = info.key_class if key else info.value_class
    return str(py.get_binary_type(cls.type_id)["type_name"])


def instant(value: datetime) -> datetime:
    """A date pyignite read (naive, local time) as an aware UTC instant."""
    assert value.tzinfo is None
    return value.astimezone(UTC)


def person() -> OrmIoPerson:
    return OrmIoPerson(
        id=1,
        company_id=7,
        name="Ada",
        age=36,
        salary=Decimal("12345.50"),
        born=date(1815, 12, 10),
        active=False,
        uid=UID,
        score=2.5,
        color=Color.GREEN,
        tags=["math", "engines"],
        scores={"logic": 10},
        address=OrmIoAddress(street="St James's Square", zip=12),
    )


@pytest.mark.usefixtures("models")
def test_pyignite_reads_what_the_orm_wrote(db: Any, py: Any) -> None:
    db.repository(OrmIoCompany).put(OrmIoCompany(id=7, name="Analytical Engines"))
    ada = person()
    db.repository(OrmIoPerson).put(ada)

    # pyignite names the classes it makes after the type name cleaned up
    # (ComExampleOrmCompany); the cluster's metadata holds the real names
    assert type_name(py, OrmIoCompany) == "com.example.orm.Company"
    company = py.get_cache("orm_io_companies").get(7, key_hint=pd.LongObject)
    assert company.name == "Analytical Engines"

    people = py.get_cache("orm_io_people")
    # the key object: pyignite finds the entry with its own key object of the same type
    got = people.get(PyPersonKey(id=1, company_id=7))
    assert got is not None
    keys = [k for k, _ in people.scan()]
    assert len(keys) == 1
    assert type_name(py, OrmIoPerson, key=True) == "com.example.orm.PersonKey"
    assert (keys[0].id, keys[0].company_id) == (1, 7)

    # the value object: the same fields with the same values
    assert type_name(py, OrmIoPerson) == "com.example.orm.Person"
    assert set(got.schema) == set(OrmIoPerson.model_fields) - {"id", "company_id"}
    # ... with the field types pyignite expects (it parses fields by the metadata)
    (schema,) = py.get_binary_type(OrmIoPerson.__ignite__.value_class.type_id)["schemas"]
    assert schema == PyPerson.schema
    assert got.name == "Ada"
    assert got.age == 36
    assert got.salary == Decimal("12345.50")
    assert instant(got.born) == datetime(1815, 12, 10, tzinfo=UTC)
    assert got.active is False
    assert got.uid == UID
    assert got.score == 2.5
    assert got.color == "green"
    assert got.tags == (pd.CollectionObject.ARR_LIST, ["math", "engines"])
    assert got.scores == (pd.MapObject.HASH_MAP, {"logic": 10})
    assert (got.address.street, got.address.zip) == ("St James's Square", 12)


@pytest.mark.usefixtures("models")
def test_the_orm_reads_what_pyignite_wrote(db: Any, py: Any, sql_rows: Any) -> None:
    py.get_cache("orm_io_companies").put(7, PyCompany(name="Engines"), key_hint=pd.LongObject)
    py.get_cache("orm_io_people").put(
        PyPersonKey(id=2, company_id=7),
        PyPerson(
            name="Charles",
            age=79,
            salary=Decimal("99.25"),
            born=datetime(1791, 12, 26, tzinfo=UTC),
            active=True,
            uid=UID,
            score=-1.5,
            color="green",
            tags=(pd.CollectionObject.ARR_LIST, ["difference", "analytical"]),
            scores=(pd.MapObject.HASH_MAP, {"cards": 3}),
            address=PyAddress(street="Dorset Street", zip=1),
        ),
    )
    expected = OrmIoPerson(
        id=2,
        company_id=7,
        name="Charles",
        age=79,
        salary=Decimal("99.25"),
        born=date(1791, 12, 26),
        active=True,
        uid=UID,
        score=-1.5,
        color=Color.GREEN,
        tags=["difference", "analytical"],
        scores={"cards": 3},
        address=OrmIoAddress(street="Dorset Street", zip=1),
    )
    companies = db.repository(OrmIoCompany)
    assert companies.get(7) == OrmIoCompany(id=7, name="Engines")
    people = db.repository(OrmIoPerson)
    for validate in (False, True):
        got = people.get(id=2, company_id=7, validate=validate)
        assert got == expected
        assert got is not None
        assert type(got.color) is Color
        assert type(got.born) is date
        assert type(got.address) is OrmIoAddress
        assert list(people.scan(validate=validate)) == [expected]
    assert people.exists(id=2, company_id=7)
    assert people.count() == 1
    # SQL sees the object through the query entity, joins included
    assert people.select("name = ? AND age > ?", "Charles", 70) == [expected]
    assert sql_rows(
        "SELECT p.name, c.name FROM OrmIoPerson p JOIN OrmIoCompany c ON p.company_id = c.id"
    ) == [["Charles", "Engines"]]
    # and it is updated in place like any model
    assert people.replace(expected.model_copy(update={"age": 80}))
    assert py.get_cache("orm_io_people").get(PyPersonKey(id=2, company_id=7)).age == 80
