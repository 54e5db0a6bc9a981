"""Appending a user's condition to ``SELECT ... FROM t``: ``WHERE`` or a clause of its own.

``select("age > ?")`` needs ``WHERE``; ``select("ORDER BY name")`` and ``select("LIMIT 5")``
must not get one.  The decision is made on the condition's first SQL *token* (after
whitespace and comments), never on a string prefix: ``limited_edition = TRUE`` and
``order_total > ?`` start with the letters of a keyword but are conditions.
"""

from __future__ import annotations

import re

__all__ = ["append_condition", "leading_clause"]

_SKIP = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", re.DOTALL)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
#: Clauses that may follow ``FROM t`` directly (their first, or first two, tokens).
_CLAUSES = {("ORDER", "BY"), ("LIMIT",), ("OFFSET",), ("FETCH",), ("GROUP", "BY")}


def _tokens(text: str, count: int) -> list[str]:
    """The first ``count`` tokens of ``text``, upper-cased; stops at a non-word token."""
    out: list[str] = []
    pos = 0
    while len(out) < count:
        skipped = _SKIP.match(text, pos)  # always matches: the pattern allows nothing
        pos = skipped.end() if skipped is not None else pos
        word = _WORD.match(text, pos)
        if word is None:
            break
        out.append(word.group().upper())
        pos = word.end()
    return out


def leading_clause(condition: str) -> bool:
    """Whether ``condition`` starts with a clause (``ORDER BY``, ``LIMIT``, ...), not a test."""
    first = _tokens(condition, 2)
    return any(tuple(first[: len(c)]) == c for c in _CLAUSES)


def append_condition(query: str, condition: str) -> str:
    """``query`` followed by ``condition``, with ``WHERE`` unless it starts with a clause."""
    if not condition.strip():
        return query
    glue = " " if leading_clause(condition) else " WHERE "
    return query + glue + condition
