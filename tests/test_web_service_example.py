"""The FastAPI example (examples/web_service) against a real node, through HTTP.

FastAPI's TestClient runs the app's lifespan (connect, create_all, close) and sends real
HTTP requests to it in-process; every answer is checked, and what the service wrote is
checked in the cluster through a separate client.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ignite_orm import Database
from ignite_wire.testing import IgniteCluster

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examples.web_service.app import create_app
from examples.web_service.models import Product


@pytest.fixture
def db(ignite_node: IgniteCluster) -> Iterator[Database]:
    with Database.connect([ignite_node.node(0).endpoint]) as database:
        database.drop_all(Product)  # a clean catalogue for each test
        yield database


@pytest.fixture
def http(ignite_node: IgniteCluster, db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(ignite_node.node(0).endpoint)) as client:
        yield client


def product(i: int, price: str = "9.99", stock: int = 3) -> dict[str, object]:
    return {"id": i, "name": f"Widget {i}", "price": price, "stock": stock}


def test_create_read_and_conflict(http: TestClient, db: Database) -> None:
    created = http.post("/products", json=product(1))
    assert created.status_code == 201
    assert created.json() == {
        "id": 1,
        "name": "Widget 1",
        "price": "9.99",
        "stock": 3,
        "version": 0,
    }
    assert db.repository(Product).get(1) == Product(
        id=1, name="Widget 1", price=Decimal("9.99"), stock=3
    )
    assert http.get("/products/1").json()["name"] == "Widget 1"
    again = http.post("/products", json=product(1, price="1.00"))
    assert again.status_code == 409
    assert again.json() == {"detail": "product 1 already exists"}
    assert db.repository(Product).get(1).price == Decimal("9.99")  # type: ignore[union-attr]


def test_not_found(http: TestClient) -> None:
    assert http.get("/products/404").status_code == 404
    assert http.get("/products/404").json() == {"detail": "product 404 does not exist"}
    assert http.delete("/products/404").status_code == 404
    update = {"name": "x", "price": "1", "stock": 1, "version": 0}
    assert http.put("/products/404", json=update).status_code == 404


def test_validation_errors_are_422_and_nothing_is_written(http: TestClient, db: Database) -> None:
    for bad in (
        {**product(2), "price": "-1"},
        {**product(2), "price": "1.999"},
        {**product(2), "name": ""},
        {**product(2), "id": 0},
        {**product(2), "colour": "red"},
        {"id": 2},
    ):
        answer = http.post("/products", json=bad)
        assert answer.status_code == 422, bad
        assert answer.json()["detail"][0]["loc"][0] == "body"
    assert http.get("/products?limit=0").status_code == 422
    assert http.get("/products?offset=-1").status_code == 422
    assert http.get("/products/abc").status_code == 422
    assert db.repository(Product).count() == 0


def test_update_with_optimistic_locking(http: TestClient, db: Database) -> None:
    http.post("/products", json=product(3))
    first = http.put(
        "/products/3", json={"name": "Renamed", "price": "5.00", "stock": 1, "version": 0}
    )
    assert first.status_code == 200
    assert first.json()["version"] == 1
    stale = http.put(
        "/products/3", json={"name": "Lost update", "price": "5.00", "stock": 1, "version": 0}
    )
    assert stale.status_code == 409
    assert "version 1, not 0" in stale.json()["detail"]
    stored = db.repository(Product).get(3)
    assert stored is not None
    assert (stored.name, stored.version) == ("Renamed", 1)


def test_delete(http: TestClient, db: Database) -> None:
    http.post("/products", json=product(4))
    assert http.delete("/products/4").status_code == 204
    assert db.repository(Product).get(4) is None
    assert http.get("/products/4").status_code == 404


def test_pagination_and_filter(http: TestClient) -> None:
    for i in range(1, 26):
        assert http.post("/products", json=product(i, price=f"{i}.50")).status_code == 201
    page = http.get("/products?limit=10&offset=0").json()
    assert [p["id"] for p in page["items"]] == list(range(1, 11))
    assert (page["total"], page["limit"], page["offset"]) == (25, 10, 0)
    last = http.get("/products?limit=10&offset=20").json()
    assert [p["id"] for p in last["items"]] == list(range(21, 26))
    beyond = http.get("/products?limit=10&offset=30").json()
    assert beyond["items"] == []
    assert beyond["total"] == 25
    cheap_excluded = http.get("/products?limit=5&min_price=20").json()
    assert [p["id"] for p in cheap_excluded["items"]] == [20, 21, 22, 23, 24]
    assert cheap_excluded["total"] == 6
    assert http.get("/products").json()["limit"] == 20


def test_database_unreachable_is_503(ignite_cluster_factory: Callable[..., IgniteCluster]) -> None:
    cluster = ignite_cluster_factory(1)
    with TestClient(create_app(cluster.node(0).endpoint)) as client:
        assert client.post("/products", json=product(5)).status_code == 201
        cluster.stop()  # the only node goes away while the service runs
        answer = client.get("/products/5")
        assert answer.status_code == 503
        assert answer.json() == {"detail": "the database is unreachable"}
