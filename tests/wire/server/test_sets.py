"""IgniteSet (ops 9010-9023) against a real node, with ``Client`` and ``AioClient``."""

from __future__ import annotations

from typing import Any

import pytest

from ignite_wire import Client
from ignite_wire.datatypes.cache_config import CacheAtomicityMode, CacheMode
from ignite_wire.exceptions import ParameterError, ServerError


def test_get_set_finds_nothing_before_creation(any_client: Any, unique: Any) -> None:
    assert any_client.get_set(unique("set")) is None


# Each case has a group of its own: the default group of data structures is shared with
# atomic longs, whose settings (backups 1) a set with other settings may not join.
@pytest.mark.parametrize(
    "options",
    [
        {"group": "feat_sets_plain"},
        {"collocated": True, "group": "feat_sets_collocated"},
        # the default group of data structures is PARTITIONED: a REPLICATED set needs its own
        {
            "atomicity": CacheAtomicityMode.TRANSACTIONAL,
            "cache_mode": CacheMode.REPLICATED,
            "group": "feat_sets_replicated",
        },
        {"backups": 1, "group": "feat_sets"},
    ],
)
def test_set_operations(any_client: Any, unique: Any, options: dict[str, Any]) -> None:
    s = any_client.get_or_create_set(unique("set"), **options)
    # the server reports a REPLICATED set as collocated (every node holds all of it)
    replicated = options.get("cache_mode") == CacheMode.REPLICATED
    assert s.collocated is (bool(options.get("collocated", False)) or replicated)
    assert s.size() == 0
    assert s.add(1) is True
    assert s.add(1) is False
    assert s.add("zwei ü") is True
    assert s.add_all([3, 4, 5]) is True
    assert s.add_all([3, 4]) is False
    assert s.size() == 5
    assert s.contains(1)
    assert s.contains("zwei ü")
    assert not s.contains(2)
    assert not s.contains(1.0)  # a double is not the long 1
    assert s.contains_all([1, 3, 5])
    assert not s.contains_all([1, 99])
    assert s.remove(1) is True
    assert s.remove(1) is False
    assert s.remove_all([3, 99]) is True
    assert sorted(map(str, s.values())) == ["4", "5", "zwei ü"]
    assert s.retain_all([4, "zwei ü"]) is True
    assert s.retain_all([4, "zwei ü"]) is False
    assert sorted(map(str, s)) == ["4", "zwei ü"]
    s.clear()
    assert s.size() == 0
    assert s.exists() is True
    s.close()
    assert s.exists() is False


def test_a_set_unlike_its_group_is_refused_clearly(any_client: Any, unique: Any) -> None:
    counter = any_client.atomic_long(unique("counter"))
    counter.create()  # the default group: backups 1 (AtomicConfiguration's default)
    with pytest.raises(ServerError, match="Backups mismatch"):
        any_client.get_or_create_set(unique("set"), backups=0)  # Java's default for sets
    s = any_client.get_or_create_set(unique("set"), backups=1)  # the group's settings: fine
    assert s.add(1)
    s.close()
    counter.remove()


def test_two_clients_share_one_set(any_client: Any, connect_any: Any, unique: Any) -> None:
    name = unique("shared_set")
    # the default group (get_set finds only sets there), with its settings (backups 1)
    mine = any_client.get_or_create_set(name, backups=1)
    mine.add_all(range(10))
    theirs = connect_any().get_set(name)
    assert theirs is not None
    assert theirs.size() == 10
    theirs.remove(0)
    assert not mine.contains(0)
    mine.close()
    assert connect_any().get_set(name) is None


def test_get_set_finds_only_sets_of_the_default_group(any_client: Any, unique: Any) -> None:
    name = unique("grouped_set")
    s = any_client.get_or_create_set(name, group="feat_sets_grouped")
    assert any_client.get_set(name) is None  # the request names no group: Ignite's limit
    again = any_client.get_or_create_set(name, group="feat_sets_grouped")
    assert again.add(1)
    assert not s.add(1)  # the same set
    s.close()


def test_iteration_crosses_pages(any_client: Any, unique: Any) -> None:
    s = any_client.get_or_create_set(unique("paged_set"), group="feat_sets_paged")
    s.add_all(range(250))
    s.page_size = 7
    assert sorted(s.values()) == list(range(250))
    assert sorted(s) == list(range(250))
    s.page_size = 250
    assert sorted(s) == list(range(250))  # one page: no iterator left on the server
    s.close()


def test_an_iteration_left_early_closes_its_server_iterator(
    client: Client, unique: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = client.get_or_create_set(unique("early_set"), group="feat_sets_paged")
    s.add_all(range(50))
    s.page_size = 5
    sent: list[str] = []
    run_on = client._run_on

    def spy(conn: Any, flow: Any) -> Any:
        sent.append(flow.__name__)
        return run_on(conn, flow)

    monkeypatch.setattr(client, "_run_on", spy)
    it = iter(s)
    next(it)
    it.close()
    assert sent == ["iterator_start", "close_iterator"]
    sent.clear()
    assert len(list(s)) == 50
    assert sent == ["iterator_start"] + ["iterator_next"] * 9  # the last page frees it
    s.close()


def test_operations_on_a_removed_set_name_it(any_client: Any, unique: Any) -> None:
    name = unique("gone_set")
    s = any_client.get_or_create_set(name, group="feat_sets_gone")
    s.close()
    with pytest.raises(ServerError, match=f"set '{name}' does not exist") as err:
        s.add(1)
    assert err.value.status == 1011


def test_bad_arguments_are_refused(any_client: Any, unique: Any) -> None:
    with pytest.raises(ParameterError, match="name"):
        any_client.get_or_create_set("")
    with pytest.raises(ParameterError, match="backups"):
        any_client.get_or_create_set(unique("set"), backups=-1)
    with pytest.raises(ParameterError, match="cache_mode"):
        any_client.get_or_create_set(unique("set"), cache_mode=7)
    s = any_client.get_or_create_set(unique("set"), group="feat_sets_bad")
    with pytest.raises(ParameterError, match="iterable"):
        s.add_all("abc")
    s.close()
