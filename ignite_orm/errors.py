"""The ORM's exceptions, shared by the sync and asyncio APIs."""

from __future__ import annotations

__all__ = [
    "ConcurrentUpdateError",
    "InvalidKeyError",
    "ModelDefinitionError",
    "SchemaConflictError",
]


class ModelDefinitionError(TypeError):
    """A model class is declared wrongly; the message names the class and the field."""


class InvalidKeyError(ValueError):
    """A key given to a repository does not match the model's key fields or types."""


class ConcurrentUpdateError(RuntimeError):
    """A session's commit found an object changed by someone else (its Version moved)."""


class SchemaConflictError(Exception):
    """The models and the cluster disagree in a way that cannot be applied safely."""
