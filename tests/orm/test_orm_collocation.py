"""People live in their company's partition, by the server's own placement; collocated joins.

Acceptance: "Person rows live in the same partition as their Company (checked by the
server's placement, e.g. a scan restricted to a partition), and a join on the affinity
key runs with the collocated flag."  On the three-node cluster, every partition of both
caches is scanned with ``cache.scan(partitions=p)`` (a server-side partition filter): the
partition where the server keeps a person must be the one where it keeps its company.
The same composite key *without* ``AffinityKey`` is the control: there the people are
spread by the whole key, so the check is able to fail.
"""

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

import pytest

from ignite_orm import AffinityKey, IgniteModel, Indexed, Int32, Key
from ignite_wire.binary import fields_of
from ignite_wire.testing import IgniteCluster


class OrmCoCompany(IgniteModel, cache="orm_co_companies", backups=1):
    id: Annotated[int, Key]
    name: Annotated[str, Indexed]


class OrmCoPerson(IgniteModel, cache="orm_co_people", backups=1):
    id: Annotated[int, Key]
    company_id: Annotated[int, Key, AffinityKey]
    name: Annotated[str, Indexed(descending=True)]
    age: Annotated[int, Int32] | None = None
    born: date


class OrmCoLoosePerson(IgniteModel, cache="orm_co_loose_people", backups=1):
    """The control: the same key, no affinity field."""

    id: Annotated[int, Key]
    company_id: Annotated[int, Key]
    name: str


MODELS = (OrmCoCompany, OrmCoPerson, OrmCoLoosePerson)
COMPANY_IDS = [3, 17, 101, 4096, 1_000_003, 2**40 + 5, -7, 0]
PEOPLE = [(i * 7919 + 13, COMPANY_IDS[i % len(COMPANY_IDS)], f"person {i:02d}") for i in range(64)]


@pytest.fixture
def cluster_db(connect: Any, ignite_cluster: IgniteCluster) -> Iterator[Any]:
    """A partition-aware database on the three-node cluster, with the models' data."""
    db = connect(ignite_cluster.endpoints, partition_aware=True)
    db.drop_all(*MODELS)
    db.create_all(*MODELS)
    db.repository(OrmCoCompany).put_many(
        [OrmCoCompany(id=c, name=f"company {c}") for c in COMPANY_IDS]
    )
    db.repository(OrmCoPerson).put_many(
        [
            OrmCoPerson(id=i, company_id=c, name=n, age=i % 90, born=date(1990, 1, 1))
            for i, c, n in PEOPLE
        ]
    )
    db.repository(OrmCoLoosePerson).put_many(
        [OrmCoLoosePerson(id=i, company_id=c, name=n) for i, c, n in PEOPLE]
    )
    yield db
    db.drop_all(*MODELS)


def partitions_of(db: Any, cache_name: str) -> int:
    with db.client.sql(
        "SELECT AFFINITY FROM SYS.CACHES WHERE CACHE_NAME = ?", query_args=[cache_name]
    ) as cursor:
        (affinity,) = next(iter(cursor))
    match = re.search(r"parts=(\d+)", affinity)
    assert match, affinity
    return int(match.group(1))


def placement(db: Any, cache_name: str) -> dict[Any, int]:
    """Key -> the partition in which the server's partition-restricted scan finds it."""
    cache = db.client.get_cache(cache_name)
    found: dict[Any, int] = {}
    for partition in range(partitions_of(db, cache_name)):
        with cache.scan(page_size=100, partitions=partition) as cursor:
            for key, _value in cursor:
                plain = tuple(sorted(fields_of(key).items())) if not isinstance(key, int) else key
                assert plain not in found, f"{key} found in two partitions"
                found[plain] = partition
    return found


def person_key(person_id: int, company_id: int) -> Any:
    return (("company_id", company_id), ("id", person_id))


@pytest.mark.cluster
def test_people_live_in_their_companys_partition(cluster_db: Any) -> None:
    assert cluster_db.plan(*MODELS).empty  # composite keys read back as they were made
    companies = placement(cluster_db, "orm_co_companies")
    people = placement(cluster_db, "orm_co_people")
    assert set(companies) == set(COMPANY_IDS)
    assert set(people) == {person_key(i, c) for i, c, _ in PEOPLE}
    for person_id, company_id, _ in PEOPLE:
        assert people[person_key(person_id, company_id)] == companies[company_id], person_id
    # the control: without AffinityKey the whole key places the entry
    loose = placement(cluster_db, "orm_co_loose_people")
    assert set(loose) == set(people)
    apart = [i for i, c, _ in PEOPLE if loose[person_key(i, c)] != companies[c]]
    assert len(apart) > len(PEOPLE) // 2


@pytest.mark.cluster
def test_join_on_the_affinity_key_runs_collocated(cluster_db: Any) -> None:
    people = cluster_db.repository(OrmCoPerson)
    expected = Counter(c for _, c, _ in PEOPLE)
    query = (
        "SELECT c.id AS company, COUNT(*) AS staff FROM OrmCoPerson p "
        "JOIN OrmCoCompany c ON p.company_id = c.id GROUP BY c.id ORDER BY c.id"
    )
    rows = list(people.sql(query, collocated=True))
    assert [(r.company, r.staff) for r in rows] == sorted(expected.items())

    # one company's staff, with both sides' columns, through the repository and plain SQL
    company = COMPANY_IDS[5]
    names = sorted((n for _, c, n in PEOPLE if c == company), reverse=True)
    query = (
        "SELECT p.name AS person, c.name AS employer FROM OrmCoPerson p "
        "JOIN OrmCoCompany c ON p.company_id = c.id WHERE c.id = ? ORDER BY p.name DESC"
    )
    rows = list(people.sql(query, company, collocated=True))
    assert [(r.person, r.employer) for r in rows] == [(n, f"company {company}") for n in names]
    with cluster_db.client.sql(query, query_args=[company], collocated=True) as cursor:
        assert [list(r) for r in cursor] == [[n, f"company {company}"] for n in names]

    # selecting the model (_KEY, _VAL) from the join gives models
    found = list(
        people.sql(
            "SELECT p._KEY, p._VAL FROM OrmCoPerson p JOIN OrmCoCompany c "
            "ON p.company_id = c.id WHERE c.name = ? ORDER BY p.id",
            f"company {company}",
            collocated=True,
        )
    )
    assert [(p.id, p.company_id, p.name) for p in found] == sorted(
        (i, c, n) for i, c, n in PEOPLE if c == company
    )


@pytest.mark.cluster
def test_a_join_without_collocation_misses_rows(cluster_db: Any) -> None:
    """The control of the join: on three nodes a non-distributed join only sees pairs that
    happen to share a node, so the full answer above needs the collocation."""
    loose = cluster_db.repository(OrmCoLoosePerson)
    rows = list(
        loose.sql(
            "SELECT COUNT(*) AS n FROM OrmCoLoosePerson p "
            "JOIN OrmCoCompany c ON p.company_id = c.id"
        )
    )
    assert rows[0].n < len(PEOPLE)
