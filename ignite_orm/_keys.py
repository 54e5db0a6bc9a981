"""Cache keys from what a caller passes, checked before anything is sent (no I/O).

A repository takes a key as a single value, a tuple (composite keys), a dict, keyword
fields, or an instance of the model; :func:`make_key` turns any of these into the key
``ignite_wire`` stores, or raises :class:`InvalidKeyError` naming the model and field.
Values are checked strictly ("5" is not the int key 5), so a wrong key fails here and
never reaches the cluster as a silent miss.

A single-field key travels as ``(value, type hint)`` so the server hashes it as the
model's Java type; :func:`split_key` and :func:`raw_key` take that pair apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from .errors import InvalidKeyError
from .mapping import ModelInfo
from .model import IgniteModel

__all__ = ["identity_key", "make_key", "raw_key", "split_key"]


def make_key(info: ModelInfo[IgniteModel], key: Any, fields: Mapping[str, Any]) -> Any:
    """The cache key for ``key`` (single-field keys) or ``field=value`` pairs."""
    if type(key) is info.plain_key_type and not fields:
        # An int/str/UUID key of exactly its field's type: strict validation would
        # return it as it is, and it is stored as it is.
        return (key, info.key_fields[0].type.hint)
    model = info.model
    names = [f.name for f in info.key_fields]
    if key is not None and fields:
        raise InvalidKeyError(f"{model.__name__}: give the key or its fields, not both")
    values: Mapping[str, Any]
    if key is not None:
        if isinstance(key, IgniteModel):
            if not isinstance(key, model):
                raise InvalidKeyError(f"{model.__name__}: a {type(key).__name__} is not its key")
            values = {n: key.__dict__[n] for n in names}
        elif isinstance(key, dict):
            values = key
        elif info.composite and isinstance(key, tuple) and len(key) == len(names):
            values = dict(zip(names, key, strict=True))
        elif not info.composite:
            values = {names[0]: key}
        else:
            raise InvalidKeyError(
                f"{model.__name__} has a composite key ({', '.join(names)}): "
                "pass its fields by name"
            )
    else:
        values = fields
    if set(values) != set(names):
        raise InvalidKeyError(
            f"{model.__name__}: the key is ({', '.join(names)}), got ({', '.join(values)})"
        )
    checked = {}
    for name in names:
        try:
            checked[name] = info.key_adapters[name].validate_python(values[name])
        except ValidationError as exc:
            raise InvalidKeyError(
                f"{model.__name__}.{name}: bad key value {values[name]!r}: {exc.errors()[0]['msg']}"
            ) from None
    return info.key_of(checked)


def split_key(key: Any) -> tuple[Any, Any]:
    """``(value, hint)`` pairs as ``key, key_hint`` arguments; other keys as they are."""
    if isinstance(key, tuple) and len(key) == 2:
        return key[0], key[1]
    return key, None


def raw_key(key: Any) -> Any:
    """The key without its type hint: what the cluster hands back for it."""
    return key[0] if isinstance(key, tuple) and len(key) == 2 else key


def identity_key(info: ModelInfo[IgniteModel], raw: Any) -> tuple[Any, ...]:
    """The key fields' values of a stored key, as a session's identity map keys them."""
    if info.composite:
        return tuple(getattr(raw, f.name) for f in info.key_fields)
    return (raw,)
