"""ignite_orm: pydantic models as Ignite binary types, SQL tables and caches.

::

    from typing import Annotated
    from ignite_orm import Database, IgniteModel, Key, Indexed

    class Company(IgniteModel, cache="companies", backups=1):
        id: Annotated[int, Key]
        name: Annotated[str, Indexed]

    db = Database.connect([("127.0.0.1", 10800)], partition_aware=True)
    db.create_all(Company)
    companies = db.repository(Company)
    companies.put(Company(id=1, name="Acme"))
    assert companies.get(1) == Company(id=1, name="Acme")

``AioDatabase``, ``AioRepository`` and ``AioSession`` are the asyncio twins.
"""

from __future__ import annotations

from ignite_wire import __version__

from .aio_database import AioDatabase, AioRepository, AioSession
from .database import Database, Repository, Session
from .errors import (
    ConcurrentUpdateError,
    InvalidKeyError,
    ModelDefinitionError,
    SchemaConflictError,
    StoredValueError,
)
from .fields import (
    AffinityKey,
    Alias,
    Char,
    Float32,
    Indexed,
    Int8,
    Int16,
    Int32,
    Key,
    NotNull,
    Precision,
    QueryGroup,
    TimestampNs,
    Version,
)
from .model import IgniteModel
from .schema import Plan, Step

__all__ = [
    "AffinityKey",
    "AioDatabase",
    "AioRepository",
    "AioSession",
    "Alias",
    "Char",
    "ConcurrentUpdateError",
    "Database",
    "Float32",
    "IgniteModel",
    "Indexed",
    "Int8",
    "Int16",
    "Int32",
    "InvalidKeyError",
    "Key",
    "ModelDefinitionError",
    "NotNull",
    "Plan",
    "Precision",
    "QueryGroup",
    "Repository",
    "SchemaConflictError",
    "Session",
    "Step",
    "StoredValueError",
    "TimestampNs",
    "Version",
    "__version__",
]
