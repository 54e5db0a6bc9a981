"""A wrong model declaration fails at class definition, naming the class and the field.

No server is needed: these run in the unit session too.
"""

import enum
from collections.abc import Callable
from typing import Annotated, Any

import pytest
from pydantic import Field

from ignite_orm import (
    AffinityKey,
    Char,
    IgniteModel,
    Indexed,
    Int16,
    Int32,
    Key,
    ModelDefinitionError,
    QueryGroup,
    Version,
)


class Mixed(enum.Enum):
    ONE = 1
    TWO = "two"


class Embedded(IgniteModel):
    street: str


def no_key() -> None:
    class NoKey(IgniteModel, cache="c"):
        name: str


def two_affinity_keys() -> None:
    class TwoAffinity(IgniteModel, cache="c"):
        id: Annotated[int, Key, AffinityKey]
        region: Annotated[int, Key, AffinityKey]


def affinity_not_in_key() -> None:
    class LooseAffinity(IgniteModel, cache="c"):
        id: Annotated[int, Key]
        region: Annotated[int, AffinityKey]


def index_on_list() -> None:
    class IndexedList(IgniteModel, cache="c"):
        id: Annotated[int, Key]
        tags: Annotated[list[str], Indexed]


def index_on_dict() -> None:
    class IndexedDict(IgniteModel, cache="c"):
        id: Annotated[int, Key]
        scores: Annotated[dict[str, int], Indexed(descending=True)]


def index_on_set() -> None:
    class IndexedSet(IgniteModel, cache="c"):
        id: Annotated[int, Key]
        codes: Annotated[set[int], Indexed]


def unsupported_complex() -> None:
    class WithComplex(IgniteModel, cache="c"):
        id: Annotated[int, Key]
        signal: complex


def unsupported_any() -> None:
    class WithAny(IgniteModel, cache="c"):
        id: Annotated[int, Key]
        blob: Any


def unsupported_union() -> None:
    class WithUnion(IgniteModel, cache="c"):
        id: Annotated[int, Key]
        either: int | str


def unsupported_item() -> None:
    class WithBadItem(IgniteModel, cache="c"):
        id: Annotated[int, Key]
        signals: list[complex] = Field(default_factory=list)


def unsupported_in_embedded() -> None:
    class BadEmbedded(IgniteModel):
        signal: complex


def mixed_enum() -> None:
    class WithMixedEnum(IgniteModel, cache="c"):
        id: Annotated[int, Key]
        kind: Mixed


def unknown_keyword() -> None:
    class Misspelt(IgniteModel, cache="c", bakups=1):  # type: ignore[call-arg]
        id: Annotated[int, Key]


def version_str() -> None:
    class StrVersion(IgniteModel, cache="c"):
        id: Annotated[int, Key]
        rev: Annotated[str, Version] = ""


def version_float() -> None:
    class FloatVersion(IgniteModel, cache="c"):
        id: Annotated[int, Key]
        rev: Annotated[float, Version] = 0.0


def two_versions() -> None:
    class TwoVersions(IgniteModel, cache="c"):
        id: Annotated[int, Key]
        rev: Annotated[int, Version] = 0
        rev2: Annotated[int, Version] = 0


def int32_on_str() -> None:
    class PinnedWrong(IgniteModel, cache="c"):
        id: Annotated[int, Key]
        code: Annotated[str, Int32]


def two_type_markers() -> None:
    class TwoPins(IgniteModel, cache="c"):
        id: Annotated[int, Key]
        size: Annotated[int, Int32, Int16]


def key_without_cache() -> None:
    class KeyedEmbedded(IgniteModel):
        id: Annotated[int, Key]


def nested_key() -> None:
    class NestedKey(IgniteModel, cache="c"):
        place: Annotated[Embedded, Key]


def collection_key() -> None:
    class ListKey(IgniteModel, cache="c"):
        parts: Annotated[list[int], Key]


def group_without_members() -> None:
    class EmptyGroup(IgniteModel, cache="c", groups=[QueryGroup("by_name")]):
        id: Annotated[int, Key]


def negative_backups() -> None:
    class NegativeBackups(IgniteModel, cache="c", backups=-1):
        id: Annotated[int, Key]


# (declaration, what the message must name)
CASES = [
    pytest.param(no_key, ["NoKey", "Key"], id="no-key"),
    pytest.param(two_affinity_keys, ["TwoAffinity", "id", "region"], id="two-affinity-keys"),
    pytest.param(affinity_not_in_key, ["LooseAffinity.region"], id="affinity-on-non-key"),
    pytest.param(index_on_list, ["IndexedList.tags"], id="index-on-list"),
    pytest.param(index_on_dict, ["IndexedDict.scores"], id="index-on-dict"),
    pytest.param(index_on_set, ["IndexedSet.codes"], id="index-on-set"),
    pytest.param(unsupported_complex, ["WithComplex.signal", "complex"], id="complex"),
    pytest.param(unsupported_any, ["WithAny.blob"], id="any"),
    pytest.param(unsupported_union, ["WithUnion.either"], id="union"),
    pytest.param(unsupported_item, ["WithBadItem.signals", "complex"], id="list-item"),
    pytest.param(unsupported_in_embedded, ["BadEmbedded.signal"], id="embedded-field"),
    pytest.param(mixed_enum, ["WithMixedEnum.kind", "Mixed"], id="mixed-enum"),
    pytest.param(unknown_keyword, ["Misspelt", "bakups"], id="unknown-keyword"),
    pytest.param(version_str, ["StrVersion.rev", "Version"], id="version-str"),
    pytest.param(version_float, ["FloatVersion.rev", "Version"], id="version-float"),
    pytest.param(two_versions, ["TwoVersions", "rev, rev2", "Version"], id="two-versions"),
    pytest.param(int32_on_str, ["PinnedWrong.code", "Int32"], id="int32-on-str"),
    pytest.param(two_type_markers, ["TwoPins.size"], id="two-type-markers"),
    pytest.param(key_without_cache, ["KeyedEmbedded", "cache"], id="key-on-embedded"),
    pytest.param(nested_key, ["NestedKey.place"], id="nested-model-key"),
    pytest.param(collection_key, ["ListKey.parts"], id="collection-key"),
    pytest.param(group_without_members, ["EmptyGroup", "by_name"], id="empty-index-group"),
    pytest.param(negative_backups, ["NegativeBackups", "backups"], id="negative-backups"),
]


@pytest.mark.parametrize(("declare", "named"), CASES)
def test_a_wrong_declaration_fails_at_class_definition(
    declare: Callable[[], None], named: list[str]
) -> None:
    with pytest.raises(ModelDefinitionError) as caught:
        declare()
    message = str(caught.value)
    for name in named:
        assert name in message, f"{name!r} not in {message!r}"


def test_model_definition_error_is_a_type_error() -> None:
    assert issubclass(ModelDefinitionError, TypeError)


def test_type_markers_with_pydantic_constraints_are_one_marker() -> None:
    """``Annotated[int, Int32]`` reaches the model twice (pydantic's metadata and the
    hint); it is still one marker, also next to pydantic constraints and in Optionals."""

    class Pinned(IgniteModel, cache="c"):
        id: Annotated[int, Key]
        small: Annotated[int, Int32]
        bounded: Annotated[int, Int16, Field(ge=0)] = 0
        maybe: Annotated[int, Int32] | None = None
        letter: Annotated[str, Char] = "a"

    types = {f.name: f.type.java_type for f in Pinned.__ignite__.fields}
    assert types == {
        "id": "java.lang.Long",
        "small": "java.lang.Integer",
        "bounded": "java.lang.Short",
        "maybe": "java.lang.Integer",
        "letter": "java.lang.String",  # a char in the binary object, a String column
    }
