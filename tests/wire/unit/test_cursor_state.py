"""The cursor's page bookkeeping (ignite_wire/_cursor_state.py) with plain pages."""

from __future__ import annotations

import struct
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ignite_wire._cursor_state import CursorState
from ignite_wire._protocol.ops.query import ScanPage, SqlPage, next_page_outline


def drain(state: CursorState) -> list[Any]:
    items = []
    while state.has_item:
        items.append(state.pop())
    return items


def test_entries_are_handed_out_in_order_and_more_pages_are_wanted() -> None:
    state = CursorState()
    state.take_entries(ScanPage(7, [(1, "a"), (2, "b")], True))
    assert state.cursor_id == 7
    assert drain(state) == [(1, "a"), (2, "b")]
    assert state.wants_page
    assert state.open_on_server
    state.take_entries(ScanPage(7, [(3, "c")], False))
    assert drain(state) == [(3, "c")]
    assert not state.wants_page
    assert not state.open_on_server


def test_rest_hands_out_what_is_left_of_the_page_at_once() -> None:
    state = CursorState(include_field_names=True)
    state.take_rows(SqlPage(1, ["ID"], 1, [[1], [2], [3]], True))
    assert state.pop() == ["ID"]
    assert state.pop() == [1]
    assert state.rest() == [[2], [3]]
    assert not state.has_item
    assert state.rest() == []
    assert state.wants_page
    state.take_entries(ScanPage(1, [(4, "d")], False))
    assert state.rest() == [(4, "d")]
    assert state.pop_or(None) is None


def test_field_names_come_first_only_when_asked() -> None:
    with_names = CursorState(include_field_names=True)
    without = CursorState()
    for state in (with_names, without):
        state.take_rows(SqlPage(1, ["ID", "NAME"], 2, [[1, "x"]], False))
        assert state.field_names == ["ID", "NAME"]
        assert state.columns == 2
    assert drain(with_names) == [["ID", "NAME"], [1, "x"]]
    assert drain(without) == [[1, "x"]]


def test_max_rows_cuts_the_page_and_stops_asking_for_more() -> None:
    state = CursorState(max_rows=3)
    state.take_rows(SqlPage(1, None, 1, [[1], [2]], True))
    assert drain(state) == [[1], [2]]
    assert state.wants_page
    state.take_rows(SqlPage(1, None, 1, [[3], [4], [5]], True))
    assert drain(state) == [[3]]
    assert state.at_limit
    assert not state.wants_page
    # the server still holds the cursor: closing frees it
    assert state.closing(None) == 1


def test_max_rows_zero_yields_nothing() -> None:
    state = CursorState(max_rows=0)
    state.take_rows(SqlPage(1, ["A"], 1, [[1]], True))
    assert drain(state) == []
    assert state.at_limit


def test_closing_frees_only_a_cursor_the_server_still_holds() -> None:
    done = CursorState()
    done.take_entries(ScanPage(5, [], False))
    assert done.closing(None) is None
    open_ = CursorState()
    open_.take_entries(ScanPage(5, [], True))
    # the answer to the next-page request in flight is the last page: the server
    # closed the cursor itself
    assert open_.closing(answer(3, more=False)) is None
    again = CursorState()
    again.take_entries(ScanPage(6, [], True))
    assert again.closing(answer(3, more=True)) == 6
    assert not again.wants_page
    # an answer too short to say (or none: the request failed) leaves it to the state
    unsure = CursorState()
    unsure.take_entries(ScanPage(7, [], True))
    assert unsure.closing(b"\x01") == 7


def answer(count: int, more: bool, body: bytes = b"\x00" * 3) -> bytes:
    """A next-page answer: its item count, its items (any bytes: not decoded here), the
    has-more flag."""
    return struct.pack("<i", count) + body + bytes([more])


def test_the_outline_of_a_next_page_answer() -> None:
    assert next_page_outline(answer(1024, True)) == (1024, True)
    assert next_page_outline(answer(0, False, b"")) == (0, False)
    assert next_page_outline(b"\x00\x00\x00\x00") is None  # no room for the flag


@given(
    pages=st.lists(st.integers(0, 8), min_size=1, max_size=8),
    max_rows=st.integers(-1, 30),
    entries=st.booleans(),
)
def test_the_page_after_is_wanted_from_the_bytes_as_after_the_decode(
    pages: list[int], max_rows: int, entries: bool
) -> None:
    """What ``wants_after`` says from a next-page answer's bytes, before the page is
    decoded, is what ``wants_page`` says once it is taken: the cursor asks for the page
    after on the first's word, and asks for nothing the second would not."""
    state = CursorState(max_rows=-1 if entries else max_rows)
    state.take_rows(SqlPage(9, ["A"], 1, [], True))
    for i, count in enumerate(pages):
        more = i < len(pages) - 1
        early = state.wants_after(answer(count, more))
        if entries:
            state.take_entries(ScanPage(9, [(r, r) for r in range(count)], more))
        else:
            state.take_rows(SqlPage(9, None, 1, [[r] for r in range(count)], more))
        assert early == state.wants_page, (i, count, more)
        drain(state)
        if not state.wants_page:
            break


def test_a_state_without_pages_has_nothing_to_free() -> None:
    state = CursorState()
    assert not state.has_item
    assert not state.wants_page
    assert state.closing(None) is None


@given(
    pages=st.lists(st.lists(st.integers(), max_size=5), min_size=1, max_size=6),
    max_rows=st.integers(-1, 20),
)
def test_rows_handed_out_are_the_prefix_max_rows_allows(
    pages: list[list[int]], max_rows: int
) -> None:
    state = CursorState(max_rows=max_rows)
    got: list[Any] = []
    for i, rows in enumerate(pages):
        state.take_rows(SqlPage(9, None, 1, [[r] for r in rows], i < len(pages) - 1))
        got += drain(state)
        if not state.wants_page:
            break
    every = [[r] for rows in pages for r in rows]
    assert got == (every if max_rows < 0 else every[:max_rows])
