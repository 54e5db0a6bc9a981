"""The ORM's exceptions, shared by the sync and asyncio APIs."""

from __future__ import annotations

__all__ = [
    "ConcurrentUpdateError",
    "InvalidKeyError",
    "ModelDefinitionError",
    "SchemaConflictError",
    "StoredValueError",
]


class ModelDefinitionError(TypeError):
    """A model class is declared wrongly; the message names the class and the field."""


class InvalidKeyError(ValueError):
    """A key given to a repository does not match the model's key fields or types."""


class ConcurrentUpdateError(RuntimeError):
    """A session's commit found an object changed by someone else (its Version moved)."""


class SchemaConflictError(Exception):
    """The models and the cluster disagree in a way that cannot be applied safely."""


class StoredValueError(ValueError):
    """A value read from the cluster that the model cannot hold.

    Written by another client or by SQL (an enum value the model does not know, no value
    for a required field, a value failing the model's validation).  ``model``, ``key``
    (the key value, or a dict of a composite key's fields) and ``field`` say where;
    ``scan``, ``select`` and ``sql`` pass it to ``on_invalid`` and go on, if given one.
    """

    def __init__(self, model: str, key: object, field: str, problem: str) -> None:
        self.model = model
        self.key = key
        self.field = field
        self.problem = problem
        super().__init__(f"{model} with key {key!r}: stored field {field!r}: {problem}")
