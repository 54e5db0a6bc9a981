"""The stored model and the API's request and response models.

The stored model (``Product``) is an ``IgniteModel``; the API's models are plain pydantic
models, so the wire format of the API and the stored schema change independently.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ignite_orm import IgniteModel, Indexed, Key, Precision, Version

T = TypeVar("T")


class Product(
    IgniteModel,
    cache="web_products",
    sql_schema="WEB",
    type_name="com.example.web.Product",
):
    id: Annotated[int, Key]
    name: Annotated[str, Indexed]
    price: Annotated[Decimal, Precision(10, 2)]
    stock: int = 0
    version: Annotated[int, Version] = 0


class ProductIn(BaseModel):
    """Body of ``POST /products``."""

    model_config = ConfigDict(extra="forbid")

    id: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=200)
    price: Decimal = Field(ge=0, max_digits=10, decimal_places=2)
    stock: int = Field(default=0, ge=0)


class ProductUpdate(BaseModel):
    """Body of ``PUT /products/{id}``: the new values and the version they were based on."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    price: Decimal = Field(ge=0, max_digits=10, decimal_places=2)
    stock: int = Field(ge=0)
    version: int = Field(ge=0, description="the version the client read (optimistic lock)")


class ProductOut(BaseModel):
    id: int
    name: str
    price: Decimal
    stock: int
    version: int


class Page(BaseModel, Generic[T]):
    """One page of a listing: ``items`` from ``offset``, and the ``total`` matching."""

    items: list[T]
    total: int
    limit: int
    offset: int
