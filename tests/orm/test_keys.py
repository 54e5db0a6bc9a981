"""Key checking (ignite_orm._keys) with plain values: every accepted key form, and the
InvalidKeyError for each wrong one, before anything could be sent.  No server."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import pytest

from ignite_orm import IgniteModel, InvalidKeyError, Key
from ignite_orm._keys import identity_key, make_key, raw_key, split_key
from ignite_orm.mapping import info_of


class KeysSingle(IgniteModel, cache="keys_single"):
    id: Annotated[int, Key]
    name: str = ""


class KeysPair(IgniteModel, cache="keys_pair"):
    region: Annotated[str, Key]
    number: Annotated[int, Key]


class KeysUuid(IgniteModel, cache="keys_uuid"):
    id: Annotated[uuid.UUID, Key]


SINGLE = info_of(KeysSingle)
PAIR = info_of(KeysPair)


@pytest.mark.parametrize(
    ("key", "fields"),
    [(5, {}), (None, {"id": 5}), ({"id": 5}, {}), (KeysSingle(id=5, name="x"), {})],
)
def test_every_form_of_a_single_key_makes_the_same_hinted_key(
    key: Any, fields: dict[str, Any]
) -> None:
    made = make_key(SINGLE, key, fields)
    assert raw_key(made) == 5
    assert split_key(made) == (5, made[1])
    assert identity_key(SINGLE, raw_key(made)) == (5,)


@pytest.mark.parametrize(
    ("key", "fields"),
    [(("eu", 3), {}), (None, {"region": "eu", "number": 3}), ({"number": 3, "region": "eu"}, {})],
)
def test_every_form_of_a_composite_key_makes_the_same_key_object(
    key: Any, fields: dict[str, Any]
) -> None:
    made = make_key(PAIR, key, fields)
    assert (made.region, made.number) == ("eu", 3)
    assert split_key(made) == (made, None)
    assert raw_key(made) is made
    assert identity_key(PAIR, made) == ("eu", 3)


def test_a_uuid_key_is_hinted_as_a_uuid() -> None:
    value = uuid.uuid4()
    assert raw_key(make_key(info_of(KeysUuid), value, {})) == value


@pytest.mark.parametrize(
    ("info", "key", "fields", "message"),
    [
        (SINGLE, "5", {}, r"KeysSingle\.id: bad key value '5'"),
        (SINGLE, 5, {"id": 5}, "give the key or its fields, not both"),
        (SINGLE, None, {"name": "x"}, r"the key is \(id\), got \(name\)"),
        (SINGLE, KeysPair(region="eu", number=1), {}, "a KeysPair is not its key"),
        (PAIR, "eu", {}, r"composite key \(region, number\): pass its fields by name"),
        (PAIR, ("eu",), {}, "composite key"),
        (PAIR, None, {"region": "eu"}, r"the key is \(region, number\), got \(region\)"),
        (PAIR, ("eu", "3"), {}, r"KeysPair\.number: bad key value '3'"),
    ],
)
def test_a_wrong_key_raises_invalid_key_error_naming_model_and_field(
    info: Any, key: Any, fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidKeyError, match=message):
        make_key(info, key, fields)
