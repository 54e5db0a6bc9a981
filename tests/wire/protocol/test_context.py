"""``new_context`` builds what ``CodecContext(...)`` builds: every slot, the same values.

The single-key short path makes its context without the class call, so a slot added to
``CodecContext.__init__`` must be set there too (one was missed once: ``encoded``, and
single-key calls on object keys failed with AttributeError).
"""

from __future__ import annotations

from ignite_wire._protocol.binary_types import BinaryTypeRegistry
from ignite_wire._protocol.context import CodecContext, new_context
from ignite_wire._protocol.readers import READERS
from ignite_wire._protocol.writers import _BY_TYPE


def _slots(ctx: CodecContext) -> dict[str, object]:
    return {name: getattr(ctx, name) for name in CodecContext.__slots__}


def test_new_context_sets_every_slot_as_the_class_call_does() -> None:
    registry = BinaryTypeRegistry()
    for compact in (True, False):
        made = new_context(registry, compact, READERS, _BY_TYPE)
        called = CodecContext(registry, compact_footer=compact, readers=READERS, writers=_BY_TYPE)
        assert _slots(made) == _slots(called)
        # Fresh containers, not shared between contexts.
        again = new_context(registry, compact, READERS, _BY_TYPE)
        assert again.pending is not made.pending
        assert again.refs is not made.refs
