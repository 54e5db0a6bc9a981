"""The service's data access: an async repository per aggregate, over ignite_orm.

The repository speaks the domain's language (``get``, ``create``, ``update``, ``page``)
and raises the domain's errors (:class:`NotFoundError`, :class:`ConflictError`); the web
layer maps those to HTTP.  Nothing here knows about FastAPI.
"""

from __future__ import annotations

from decimal import Decimal

from ignite_orm import AioRepository

from .models import Product


class NotFoundError(LookupError):
    """No object with that id."""


class ConflictError(Exception):
    """The id is taken, or the object changed since the client read it."""


class ProductRepository:
    def __init__(self, products: AioRepository[Product]) -> None:
        self._products = products

    def __repr__(self) -> str:
        return f"<ProductRepository {self._products!r}>"

    async def get(self, product_id: int) -> Product:
        found = await self._products.get(product_id)
        if found is None:
            raise NotFoundError(f"product {product_id} does not exist")
        return found

    async def create(self, product: Product) -> Product:
        if not await self._products.insert(product):  # put-if-absent on the server
            raise ConflictError(f"product {product.id} already exists")
        return product

    async def update(
        self, product_id: int, *, name: str, price: Decimal, stock: int, version: int
    ) -> Product:
        current = await self.get(product_id)
        if current.version != version:
            raise ConflictError(
                f"product {product_id} is at version {current.version}, not {version}"
            )
        new = current.model_copy(
            update={"name": name, "price": price, "stock": stock, "version": version + 1}
        )
        # Compare-and-replace: a writer that got in between makes this fail.
        if not await self._products.replace_if(current, new):
            raise ConflictError(f"product {product_id} changed meanwhile; read it again")
        return new

    async def delete(self, product_id: int) -> None:
        if not await self._products.delete(product_id):
            raise NotFoundError(f"product {product_id} does not exist")

    async def page(
        self, *, limit: int, offset: int, min_price: Decimal | None = None
    ) -> tuple[list[Product], int]:
        """One page ordered by id, and how many match in total."""
        where, args = ("price >= ?", [min_price]) if min_price is not None else ("", [])
        items = await self._products.select(
            f"{where} ORDER BY id LIMIT ? OFFSET ?", *args, limit, offset
        )
        count = f"SELECT COUNT(*) FROM WEB.PRODUCT {'WHERE ' + where if where else ''}"
        total = 0
        async for (n,) in self._products.sql(count, *args):
            total = int(n)
        return items, total
