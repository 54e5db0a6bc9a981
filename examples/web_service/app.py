"""A product catalogue over HTTP: FastAPI + ignite_orm's asyncio API.

* **Repository pattern**: :mod:`.repositories` holds the data access and the domain's
  errors; the routes below only translate HTTP.
* **Dependency injection**: the database lives in the app's state (opened and closed by
  the lifespan); ``Depends(products)`` hands each request its repository, and tests may
  override it.
* **Request and response models**: :mod:`.models`; FastAPI validates bodies and query
  parameters (422 with the field that failed).
* **Pagination**: ``GET /products?limit=&offset=&min_price=`` returns a page with the
  total.
* **Error mapping**: not found -> 404, an existing id or a stale version -> 409, invalid
  input -> 422, the cluster unreachable -> 503.

Run it (with ``pip install fastapi uvicorn``) against a node on 127.0.0.1:10800::

    uvicorn examples.web_service.app:app

``IGNITE_WIRE_HOST`` / ``IGNITE_WIRE_PORT`` point it at another node.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request, status
from fastapi.responses import JSONResponse

from ignite_orm import AioDatabase
from ignite_wire.exceptions import ReconnectError, SocketError

from .models import Page, Product, ProductIn, ProductOut, ProductUpdate
from .repositories import ConflictError, NotFoundError, ProductRepository


def _node() -> tuple[str, int]:
    return os.environ.get("IGNITE_WIRE_HOST", "127.0.0.1"), int(
        os.environ.get("IGNITE_WIRE_PORT", "10800")
    )


def create_app(node: tuple[str, int] | None = None) -> FastAPI:
    """The application, connected to ``node`` (default: from the environment) on startup."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = await AioDatabase.connect([node or _node()])
        await db.create_all(Product)  # idempotent: adds what is missing
        app.state.db = db
        try:
            yield
        finally:
            await db.close()

    app = FastAPI(title="Products", lifespan=lifespan)

    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_404_NOT_FOUND)

    @app.exception_handler(ConflictError)
    async def conflict(_: Request, exc: ConflictError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_409_CONFLICT)

    @app.exception_handler(SocketError)
    @app.exception_handler(ReconnectError)
    async def unavailable(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(
            {"detail": "the database is unreachable"},
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        )

    app.include_router(_routes())
    return app


def database(request: Request) -> AioDatabase:
    db: AioDatabase = request.app.state.db
    return db


def products(db: Annotated[AioDatabase, Depends(database)]) -> ProductRepository:
    return ProductRepository(db.repository(Product))


Products = Annotated[ProductRepository, Depends(products)]


def _out(product: Product) -> ProductOut:
    return ProductOut.model_validate(product.model_dump())


def _routes() -> APIRouter:
    router = APIRouter(prefix="/products", tags=["products"])

    @router.post("", status_code=status.HTTP_201_CREATED, response_model=ProductOut)
    async def create(body: ProductIn, repo: Products) -> ProductOut:
        return _out(await repo.create(Product(**body.model_dump())))

    @router.get("/{product_id}", response_model=ProductOut)
    async def read(product_id: int, repo: Products) -> ProductOut:
        return _out(await repo.get(product_id))

    @router.put("/{product_id}", response_model=ProductOut)
    async def update(product_id: int, body: ProductUpdate, repo: Products) -> ProductOut:
        return _out(await repo.update(product_id, **body.model_dump()))

    @router.delete("/{product_id}", status_code=status.HTTP_204_NO_CONTENT)
    async def delete(product_id: int, repo: Products) -> None:
        await repo.delete(product_id)

    @router.get("", response_model=Page[ProductOut])
    async def listing(
        repo: Products,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
        min_price: Annotated[Decimal | None, Query(ge=0)] = None,
    ) -> Page[ProductOut]:
        items, total = await repo.page(limit=limit, offset=offset, min_price=min_price)
        return Page[ProductOut](
            items=[_out(p) for p in items], total=total, limit=limit, offset=offset
        )

    return router


app = create_app()
