"""Sessions: a unit of work with an identity map, committed in one Ignite transaction on
transactional caches, with optimistic concurrency through a ``Version`` field.

Acceptance: "A session that raises halfway leaves nothing written."  Checked for adds,
updates and deletes, on a transactional and on an atomic cache; a committed session on
transactional caches writes everything (in one transaction); a change made by someone
else between load and commit makes the commit raise ``ConcurrentUpdateError``, and on a
transactional cache nothing of that session is written.
"""

from collections.abc import Callable
from typing import Annotated, Any

import pytest

from ignite_orm import AffinityKey, ConcurrentUpdateError, IgniteModel, Key, Version
from ignite_wire.datatypes.cache_config import CacheAtomicityMode

TRANSACTIONAL = CacheAtomicityMode.TRANSACTIONAL


class OrmTxAccount(IgniteModel, cache="orm_tx_accounts", atomicity=TRANSACTIONAL):
    id: Annotated[int, Key]
    owner: str
    balance: int
    version: Annotated[int, Version] = 0


class OrmTxEntry(IgniteModel, cache="orm_tx_entries", atomicity=TRANSACTIONAL):
    id: Annotated[int, Key]
    account: int
    amount: int


class OrmAtomicAccount(IgniteModel, cache="orm_atomic_accounts"):
    id: Annotated[int, Key]
    owner: str
    balance: int
    version: Annotated[int, Version] = 0


ACCOUNT_MODELS = [OrmTxAccount, OrmAtomicAccount]


@pytest.fixture
def accounts(db: Any, schema: Any) -> None:
    schema(OrmTxAccount, OrmTxEntry, OrmAtomicAccount)
    for model in ACCOUNT_MODELS:
        db.repository(model).put_many(
            [model(id=i, owner=f"owner {i}", balance=100) for i in range(1, 5)]
        )
    db.repository(OrmTxEntry).put_many(
        [OrmTxEntry(id=i, account=i, amount=100) for i in range(1, 5)]
    )


def contents(db: Any, model: type[IgniteModel]) -> list[Any]:
    return sorted(db.repository(model).scan(), key=lambda m: m.id)


class BoomError(Exception):
    pass


@pytest.mark.usefixtures("accounts")
@pytest.mark.parametrize("model", ACCOUNT_MODELS, ids=["transactional", "atomic"])
def test_a_session_that_raises_halfway_writes_nothing(db: Any, model: Any) -> None:
    before = contents(db, model)
    session = db.session()

    def unit_of_work() -> None:
        with session as s:
            first = s.get(model, 1)
            first.balance -= 30  # an update
            s.add(model(id=10, owner="new", balance=5))  # an add
            s.delete(s.get(model, 2))  # a delete of a loaded object
            s.delete(model(id=3, owner="owner 3", balance=100))  # a delete by value
            s.add(s.get(model, 4).model_copy(update={"owner": "renamed"}))  # an overwrite
            raise BoomError

    with pytest.raises(BoomError):
        unit_of_work()
    assert contents(db, model) == before
    # the session forgot its changes: committing it now writes nothing either
    session.commit()
    assert contents(db, model) == before


@pytest.mark.usefixtures("accounts")
def test_a_committed_session_writes_everything_in_one_transaction(
    connect: Callable[..., Any], node_endpoints: Any, request_log: Any
) -> None:
    db = connect(node_endpoints, event_listeners=[request_log])
    with db.session() as s:
        source = s.get(OrmTxAccount, 1)
        target = s.get(OrmTxAccount, 2)
        untouched = s.get(OrmTxAccount, 3)
        assert s.get(OrmTxAccount, 1) is source  # the identity map
        assert untouched is not None
        source.balance -= 40
        target.balance += 40
        s.add(OrmTxEntry(id=10, account=1, amount=-40))
        s.add(OrmTxEntry(id=11, account=2, amount=40))
        assert s.get(OrmTxEntry, 10) == OrmTxEntry(id=10, account=1, amount=-40)
        s.delete(s.get(OrmTxEntry, 4))
        assert s.get(OrmTxEntry, 4) is None
        request_log.ops.clear()
    ops = request_log.ops
    assert ops[0] == "TX_START"
    assert ops[-1] == "TX_END"
    assert ops.count("TX_START") == 1
    # versions moved by one for the changed objects only, in memory and in the cluster
    assert (source.version, target.version, untouched.version) == (1, 1, 0)
    assert contents(db, OrmTxAccount) == [
        OrmTxAccount(id=1, owner="owner 1", balance=60, version=1),
        OrmTxAccount(id=2, owner="owner 2", balance=140, version=1),
        OrmTxAccount(id=3, owner="owner 3", balance=100, version=0),
        OrmTxAccount(id=4, owner="owner 4", balance=100, version=0),
    ]
    assert contents(db, OrmTxEntry) == [
        OrmTxEntry(id=1, account=1, amount=100),
        OrmTxEntry(id=2, account=2, amount=100),
        OrmTxEntry(id=3, account=3, amount=100),
        OrmTxEntry(id=10, account=1, amount=-40),
        OrmTxEntry(id=11, account=2, amount=40),
    ]


@pytest.mark.usefixtures("accounts")
@pytest.mark.parametrize("bump", [True, False], ids=["versioned-writer", "plain-writer"])
def test_a_concurrent_change_fails_the_commit_and_nothing_is_written(
    db: Any, connect: Callable[..., Any], node_endpoints: Any, bump: bool
) -> None:
    other = connect(node_endpoints)  # another client, as another service would be
    before = {m: contents(db, m) for m in (OrmTxAccount, OrmTxEntry)}

    def unit_of_work() -> None:
        with db.session() as s:
            first = s.get(OrmTxAccount, 1)
            second = s.get(OrmTxAccount, 2)
            first.balance -= 10  # written before the conflict is found, then rolled back
            second.balance += 10
            s.add(OrmTxEntry(id=20, account=1, amount=-10))
            s.delete(s.get(OrmTxEntry, 3))
            s.delete(s.get(OrmTxAccount, 4))
            # meanwhile, someone else changes the second account
            if bump:
                with other.session() as theirs:
                    theirs.get(OrmTxAccount, 2).owner = "someone else"
            else:
                other.repository(OrmTxAccount).put(
                    OrmTxAccount(id=2, owner="someone else", balance=100, version=0)
                )

    with pytest.raises(ConcurrentUpdateError, match="OrmTxAccount"):
        unit_of_work()
    theirs_version = 1 if bump else 0
    assert contents(db, OrmTxAccount) == [
        before[OrmTxAccount][0],
        OrmTxAccount(id=2, owner="someone else", balance=100, version=theirs_version),
        *before[OrmTxAccount][2:],
    ]
    assert contents(db, OrmTxEntry) == before[OrmTxEntry]


@pytest.mark.usefixtures("accounts")
def test_a_concurrent_change_fails_the_commit_on_an_atomic_cache_too(
    db: Any, connect: Callable[..., Any], node_endpoints: Any
) -> None:
    other = connect(node_endpoints)

    def unit_of_work() -> None:
        with db.session() as s:
            s.get(OrmAtomicAccount, 1).balance = 0
            with other.session() as theirs:
                theirs.get(OrmAtomicAccount, 1).balance = 50

    with pytest.raises(ConcurrentUpdateError):
        unit_of_work()
    assert db.repository(OrmAtomicAccount).get(1) == OrmAtomicAccount(
        id=1, owner="owner 1", balance=50, version=1
    )


@pytest.mark.usefixtures("accounts")
def test_a_session_without_changes_writes_nothing(
    connect: Callable[..., Any], node_endpoints: Any, request_log: Any
) -> None:
    db = connect(node_endpoints, event_listeners=[request_log])
    with db.session() as s:
        assert s.get(OrmTxAccount, 1) is not None
        assert s.get(OrmTxAccount, 99) is None
        request_log.ops.clear()
    assert request_log.ops == []


@pytest.mark.usefixtures("accounts")
def test_adding_another_instance_for_a_loaded_key_writes_it(db: Any) -> None:
    with db.session() as s:
        loaded = s.get(OrmTxAccount, 1)
        s.add(loaded.model_copy(update={"owner": "renamed"}))  # an overwrite by copy
        s.delete(s.get(OrmTxAccount, 2))
        s.add(OrmTxAccount(id=2, owner="re-added", balance=7))  # deleted, then added again
        assert s.get(OrmTxAccount, 2) == OrmTxAccount(id=2, owner="re-added", balance=7)
    assert contents(db, OrmTxAccount)[:2] == [
        OrmTxAccount(id=1, owner="renamed", balance=100, version=1),
        OrmTxAccount(id=2, owner="re-added", balance=7, version=1),
    ]


class OrmTxMember(IgniteModel, cache="orm_tx_members", atomicity=TRANSACTIONAL):
    id: Annotated[int, Key]
    team: Annotated[int, Key, AffinityKey]
    name: str
    version: Annotated[int, Version] = 0


def test_sessions_track_composite_keys(db: Any, schema: Any) -> None:
    schema(OrmTxMember)
    db.repository(OrmTxMember).put_many(
        [OrmTxMember(id=i, team=i % 2, name=f"m{i}") for i in range(4)]
    )
    with db.session() as s:
        member = s.get(OrmTxMember, id=1, team=1)
        # the key in any form finds the one tracked object
        assert s.get(OrmTxMember, (1, 1)) is member
        assert s.get(OrmTxMember, {"id": 1, "team": 1}) is member
        assert s.get(OrmTxMember, id=1, team=0) is None
        member.name = "renamed"
        s.delete(s.get(OrmTxMember, id=2, team=0))
        s.add(OrmTxMember(id=9, team=1, name="new"))
    assert contents(db, OrmTxMember) == [
        OrmTxMember(id=0, team=0, name="m0"),
        OrmTxMember(id=1, team=1, name="renamed", version=1),
        OrmTxMember(id=3, team=1, name="m3"),
        OrmTxMember(id=9, team=1, name="new"),
    ]


class OrmCustomerAddress(IgniteModel):
    city: str
    zip: str


class OrmVersionedCustomer(IgniteModel, cache="orm_versioned_customers", atomicity=TRANSACTIONAL):
    id: Annotated[int, Key]
    address: OrmCustomerAddress
    version: Annotated[int, Version] = 0


def test_versioned_model_with_an_embedded_model_commits(db: Any, schema: Any) -> None:
    """The loaded snapshot keeps nested models, so compare-and-replace matches the store."""
    schema(OrmVersionedCustomer)
    repo = db.repository(OrmVersionedCustomer)
    repo.put(OrmVersionedCustomer(id=1, address=OrmCustomerAddress(city="Oslo", zip="0150")))
    with db.session() as s:
        customer = s.get(OrmVersionedCustomer, 1)
        customer.address.city = "Bergen"  # a change inside the nested model
    stored = repo.get(1)
    assert stored == OrmVersionedCustomer(
        id=1, address=OrmCustomerAddress(city="Bergen", zip="0150"), version=1
    )
