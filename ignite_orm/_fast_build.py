"""Models straight from decoded entries: a loader generated once per model class.

Reading a row used to copy the binary object's fields into a dict, convert, fill
defaults, copy again and call pydantic's ``model_construct``, which walks every field's
aliases and defaults: about as much work again as decoding the row.  :func:`compile_loader`
writes one function per model instead: it reads the decoded object's fields by name,
checks each value is *exactly* of the field's Python type (``type(v) is int``; ``None``
only where the field allows it), converts where the field type says so (a ``Date`` as
``date``, an enum value as its member, ...) and sets the instance's ``__dict__`` and
pydantic's bookkeeping slots as ``model_construct`` does, with no reflection per call.
Query results come a cursor page at a time (``cursor.next_page()``), and the loader has a
page form that reads a whole page in one call: the same checks row by row, then each step
of making the instances runs over the whole page with ``map`` (in C, not once per row in
bytecode); a page with any row the checks do not take is read by the loader, row by row.

The fast path trusts nothing it has not checked: a value of another type (a column
written by another client as a string, a ``Long`` in a ``float`` field), a null in a
field that does not allow one, a field missing (an object written before the field
existed) or an unknown one, a value ``None``, or a model with ``model_post_init``, and
the loader hands the entry to the general path (``ModelInfo`` ``._load_checked``), which
gives defaults, validates what does not fit and raises
:class:`~ignite_orm.errors.StoredValueError` naming the model, key and field.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable
from copy import deepcopy
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from itertools import repeat
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from ignite_wire.binary import fields_view, from_fields

#: The optional compiled page loader (``_models_accel.c``); ``None`` when not built (no C
#: compiler at install) or ``IGNITE_WIRE_PURE=1``.
build_page: Callable[[tuple[Any, ...], list[Any]], list[Any] | None] | None
try:
    from ._models_accel import build_page as _build_page

    build_page = _build_page
except ImportError:  # not built (no C compiler at install), or IGNITE_WIRE_PURE=1
    build_page = None
#: Whether the page loaders try the compiled one first.
ACCELERATED = build_page is not None

__all__ = ["FieldSpec", "KeySpec", "compile_loader", "compile_writer", "fits", "snapshot"]

#: An instance without ``__init__`` (what ``model_construct`` starts from).
_new = object.__new__

#: An item type of a collection: exact Python type (``None``: unchecked), may be ``None``.
ItemSpec = tuple["type | None", bool]
#: One field as the generated loader reads it: name, exact Python type of a good value
#: (``None``: not checked), whether ``None`` is a good value, converter from the wire,
#: item types of a collection (one) or map (key, value), if checked.
FieldSpec = tuple[
    str, "type | None", bool, "Callable[[Any], Any] | None", "tuple[ItemSpec, ...] | None"
]


def items_fit(items: tuple[ItemSpec, ...], value: Any) -> bool:
    """Whether every item of a collection (or key and value of a map) ``value`` is of
    its exact type: another client may store any objects in a collection field."""
    if len(items) == 2:
        (kt, kn), (vt, vn) = items
        return all(
            (type(k) is kt or (k is None and kn) or kt is None)
            and (type(v) is vt or (v is None and vn) or vt is None)
            for k, v in value.items()
        )
    ((t, nullable),) = items
    if t is None:
        return True
    return all(type(x) is t or (x is None and nullable) for x in value)


def fits(spec: FieldSpec, value: Any) -> bool:
    """Whether a (converted) stored ``value`` can be trusted as field ``spec``'s."""
    _name, exact, nullable, _convert, items = spec
    if value is None:
        return nullable
    if exact is None:
        return True
    return type(value) is exact and (items is None or items_fit(items, value))


def _plain(model: type[BaseModel]) -> bool:
    """Whether ``model_construct`` of ``model`` is just "set ``__dict__`` and the slots"."""
    return not model.__pydantic_post_init__ and not model.__pydantic_root_model__


def _read(
    lines: list[str], env: dict[str, Any], var: str, spec: FieldSpec, n: int, misfit: str
) -> None:
    """Lines checking (and converting) local ``var``; any misfit runs ``misfit``."""
    _name, exact, nullable, convert, items = spec
    pad = "    "
    if convert is not None:
        env[f"_c{n}"] = convert
        lines += [
            f"{pad}if {var} is not None:",
            f"{pad}    try:",
            f"{pad}        {var} = _c{n}({var})",
            f"{pad}    except Exception:",
            f"{pad}        {misfit}",
        ]
    if exact is None:
        if not nullable:
            lines.append(f"{pad}if {var} is None: {misfit}")
        return
    env[f"_t{n}"] = exact
    if nullable:
        lines.append(f"{pad}if {var} is not None and type({var}) is not _t{n}:")
    else:
        lines.append(f"{pad}if type({var}) is not _t{n}:")
    lines.append(f"{pad}    {misfit}")
    if items is not None:
        env[f"_items{n}"] = items
        env["_items_fit"] = items_fit
        lines.append(f"{pad}if {var} is not None and not _items_fit(_items{n}, {var}):")
        lines.append(f"{pad}    {misfit}")


def _fields(
    env: dict[str, Any],
    value_fields: list[FieldSpec],
    key_fields: list[FieldSpec],
    composite: bool,
    misfit: str,
) -> tuple[list[str], str]:
    """The lines that read ``key`` and ``value`` into checked locals (``misfit`` runs
    for anything that does not fit), and the expression of the model's ``__dict__``."""
    lines = ["try:", "    d = _view(value)"]
    lines.append(f"    if len(d) != {len(value_fields)}: {misfit}")
    for i, (name, *_) in enumerate(value_fields):
        lines.append(f"    v{i} = d[{name!r}]")
    if composite:
        lines += ["    kd = _view(key)", f"    if len(kd) != {len(key_fields)}: {misfit}"]
        for i, (name, *_) in enumerate(key_fields):
            lines.append(f"    k{i} = kd[{name!r}]")
    elif key_fields:
        lines.append("    k0 = key")
    # AttributeError/TypeError: not a binary object (None, a scalar); KeyError: other fields
    lines += ["except (AttributeError, KeyError, TypeError):", f"    {misfit}"]
    n = 0
    checks: list[str] = []
    for i, spec in enumerate(value_fields):
        _read(checks, env, f"v{i}", spec, n, misfit)
        n += 1
    for i, spec in enumerate(key_fields):
        _read(checks, env, f"k{i}", spec, n, misfit)
        n += 1
    lines += [line[4:] for line in checks]  # _read indents for a function body
    items = [f"{s[0]!r}: k{i}" for i, s in enumerate(key_fields)]
    items += [f"{s[0]!r}: v{i}" for i, s in enumerate(value_fields)]
    return lines, "{" + ", ".join(items) + "}"


def _indent(lines: list[str], depth: int) -> list[str]:
    return ["    " * depth + line for line in lines]


def field_names(names: list[str]) -> frozenset[str]:
    """``names`` as the template each loaded model's fields set is copied from.

    ``set(template)`` sizes the new set's table from the template's item count, and
    copies the template's table whole (no hashing, no probing) only when both tables are
    of one size.  A frozenset built from a list grows as the names are added (a 32-slot
    table for 5 to 7 names), one built from a set is sized as a copy is (16 slots), so a
    copy of it is that single pass (the loaders make one per model)."""
    return frozenset(set(names))


def _accel_spec(
    model: type[BaseModel], value_fields: list[FieldSpec], key_fields: list[FieldSpec]
) -> tuple[Any, ...] | None:
    """What the compiled page loader (``_models_accel.c``) needs for ``model``, or
    ``None`` when it does not take the model: more than one key field, or a field whose
    values are converted or whose items are checked (the pure page form reads those)."""
    if len(key_fields) > 1 or any(
        s[3] is not None or s[4] is not None for s in [*key_fields, *value_fields]
    ):
        return None
    slots = BaseModel.__dict__
    key = key_fields[0] if key_fields else None
    names = [sys.intern(s[0]) for s in [*key_fields, *value_fields]]
    return (
        model,
        fields_view,
        field_names(names),
        None if key is None else sys.intern(key[0]),
        None if key is None else key[1],
        False if key is None else key[2],
        tuple(sys.intern(s[0]) for s in value_fields),
        tuple(s[1] for s in value_fields),
        tuple(s[2] for s in value_fields),
        model.model_config.get("extra") == "allow",
        slots["__dict__"],
        slots["__pydantic_fields_set__"],
        slots["__pydantic_extra__"],
        slots["__pydantic_private__"],
    )


def compile_loader(
    model: type[BaseModel],
    value_fields: list[FieldSpec],
    key_fields: list[FieldSpec],
    composite: bool,
    slow: Callable[[Any, Any], Any],
    accelerated: bool = ACCELERATED,
) -> tuple[Callable[[Any, Any], Any], Callable[[list[Any]], list[Any]]]:
    """The loader ``(key, value) -> model instance`` of one model class, and its page
    form ``rows -> instances`` for SQL rows ``[key, value]`` (a ``[None, None]`` row,
    the missing side of an outer join, is ``None``).

    ``value_fields`` are read from the value object's fields; ``key_fields`` from the
    key object's (``composite``), or the single one is the key itself; an embedded
    model has no key fields (``key`` is then ignored).  ``slow(key, value)`` is the
    general path for whatever the loader does not take (see the module docstring).

    The page form gives what the loader gives row by row, in one Python call per page:
    it checks every row first, then makes the instances a step at a time over the whole
    page (``map`` over the page: each step runs in C, not once per row in bytecode).  A
    page with any row that does not fit is read by the loader row by row instead.  When
    the optional compiled page loader is built (and ``accelerated``), it reads the pages
    of the models it takes first (see :func:`_accel_spec`); it returns ``None`` for a
    page with any row that does not fit, and the pure page form decides.
    """
    env: dict[str, Any] = {
        "_slow": slow,
        "_new": object.__new__,
        "_M": model,
        "_view": fields_view,
    }
    one, values = _fields(env, value_fields, key_fields, composite, "return _slow(key, value)")
    lines = ["def load(key, value):", *_indent(one, 1)]
    plain = _plain(model)
    if plain:
        env["_names"] = field_names([s[0] for s in [*key_fields, *value_fields]])
        # pydantic's own slots (``__dict__`` included), set through their descriptors (a
        # little faster than object.__setattr__ by name, and the same thing)
        slots = BaseModel.__dict__
        env["_dict"] = slots["__dict__"].__set__
        env["_fields_set"] = slots["__pydantic_fields_set__"].__set__
        env["_extra"] = slots["__pydantic_extra__"].__set__
        env["_private"] = slots["__pydantic_private__"].__set__
        allow = model.model_config.get("extra") == "allow"
        lines += [
            "    m = _new(_M)",
            f"    _dict(m, {values})",
            "    _fields_set(m, set(_names))",
            f"    _extra(m, {'{}' if allow else 'None'})",
            "    _private(m, None)",
            "    return m",
        ]
        # The page form: each row's checked values into a dict, then the instances.
        env.update(_repeat=repeat, _consume=deque(maxlen=0).extend)
        page, values = _fields(env, value_fields, key_fields, composite, "return _each(rows)")
        lines.append("def load_rows(rows):")
        use = accelerated and build_page is not None
        spec = _accel_spec(model, value_fields, key_fields) if use else None
        if spec is not None and not composite:
            env.update(_accel=build_page, _spec=spec)
            lines += [
                "    built = _accel(_spec, rows)",
                "    if built is not None:",
                "        return built",
            ]
        lines += [
            "    dicts = []",
            "    add = dicts.append",
            "    for key, value in rows:",
            *_indent(page, 2),
            f"        add({values})",
            "    n = len(dicts)",
            "    ms = list(map(_new, _repeat(_M, n)))",
            "    _consume(map(_dict, ms, dicts))",
            "    _consume(map(_fields_set, ms, map(set, _repeat(_names, n))))",
            f"    _consume(map(_extra, ms, {'iter(dict, None)' if allow else '_repeat(None)'}))",
            "    _consume(map(_private, ms, _repeat(None)))",
            "    return ms",
        ]
    else:
        lines.append(f"    return _M.model_construct(**{values})")
    lines += [
        "def _each(rows):",
        "    return [None if r[1] is None and r[0] is None else load(r[0], r[1]) for r in rows]",
    ]
    source = "\n".join(lines)
    code = compile(source, f"<ignite_orm loader of {model.__qualname__}>", "exec")
    exec(code, env)  # generated from field names checked as identifiers by pydantic
    loader: Callable[[Any, Any], Any] = env["load"]
    load_rows: Callable[[list[Any]], list[Any]] = env["load_rows" if plain else "_each"]
    return loader, load_rows


#: Types whose values never change: a snapshot shares them instead of copying.
_ATOMIC: frozenset[type] = frozenset(
    {type(None), bool, int, float, str, bytes, Decimal, UUID, date, time, datetime}
)


#: Whether ``model_construct`` of a model class is plain (:func:`_plain`), per class.
_PLAIN: dict[type, bool] = {}
#: pydantic's slots of an instance, set through their descriptors (as the loader does).
_SET_DICT = BaseModel.__dict__["__dict__"].__set__
_SET_EXTRA = BaseModel.__dict__["__pydantic_extra__"].__set__
_SET_FIELDS_SET = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_SET_PRIVATE = BaseModel.__dict__["__pydantic_private__"].__set__


def snapshot(obj: BaseModel) -> Any:
    """A deep copy of ``obj``, as ``obj.model_copy(deep=True)`` makes it, that shares the
    values of immutable types (most fields) instead of running ``deepcopy`` on each: a
    session keeps one per loaded object to see what changed (and one per object each
    commit writes), so when every value is of an immutable type the dict is copied in
    one call."""
    model = type(obj)
    plain = _PLAIN.get(model)
    if plain is None:
        plain = _PLAIN[model] = _plain(model)
    if not plain:
        return obj.model_copy(deep=True)
    memo: dict[int, Any] = {}
    d = obj.__dict__
    if _ATOMIC.issuperset(map(type, d.values())):
        values = d.copy()
    else:
        values = {
            k: v if type(v) in _ATOMIC or isinstance(v, Enum) else deepcopy(v, memo)
            for k, v in d.items()
        }
    m = _new(model)
    _SET_DICT(m, values)
    _SET_FIELDS_SET(m, set(obj.__pydantic_fields_set__))
    extra = obj.__pydantic_extra__
    private = getattr(obj, "__pydantic_private__", None)
    if extra is None and private is None:  # the usual model: nothing more to copy
        _SET_EXTRA(m, None)
        _SET_PRIVATE(m, None)
        return m
    _SET_EXTRA(m, None if extra is None else deepcopy(extra, memo))
    _SET_PRIVATE(m, None if private is None else deepcopy(private, memo))
    return m


#: A single-field key as the writer makes it: field name, ``to_wire`` converter, hint.
KeySpec = tuple[str, "Callable[[Any], Any] | None", object]


def compile_writer(
    value_class: type,
    value_fields: list[tuple[str, Callable[[Any], Any] | None]],
    key: Callable[[dict[str, Any]], Any] | KeySpec,
    slow: Callable[[Any], tuple[Any, Any]],
) -> Callable[[Any], tuple[Any, Any]]:
    """``instance -> (key, value)`` for storing one model class: the value object built
    from every field of its schema (``from_fields``: the checks of its constructor are
    the model's own) with the fields' ``to_wire`` converters inlined.
    ``key(fields)`` makes the key, or ``key`` is a :data:`KeySpec` and the writer makes
    the ``(value, hint)`` pair itself; anything raising goes to ``slow(instance)``, the
    general path, which raises the error naming the field."""
    env: dict[str, Any] = {"_VC": value_class, "_slow": slow, "_from": from_fields}
    lines = ["def to_entry(obj):", "    d = obj.__dict__", "    try:"]
    for i, (name, convert) in enumerate(value_fields):
        lines.append(f"        v{i} = d[{name!r}]")
        if convert is not None:
            env[f"_w{i}"] = convert
            lines.append(f"        if v{i} is not None: v{i} = _w{i}(v{i})")
    fields = ", ".join(f"{name!r}: v{i}" for i, (name, _) in enumerate(value_fields))
    if isinstance(key, tuple):
        name, convert, env["_hint"] = key
        lines.append(f"        k = d[{name!r}]")
        if convert is not None:
            env["_wk"] = convert
            lines.append("        if k is not None: k = _wk(k)")
        lines.append("        k = (k, _hint)")
    else:
        env["_key"] = key
        lines.append("        k = _key(d)")
    lines += [
        "    except Exception:",
        "        return _slow(obj)",
        f"    return k, _from(_VC, {{{fields}}})",
    ]
    code = compile("\n".join(lines), f"<ignite_orm writer of {value_class.__name__}>", "exec")
    exec(code, env)  # names are repr()'d: any field name is safe
    writer: Callable[[Any], tuple[Any, Any]] = env["to_entry"]
    return writer


def compile_sender(
    model: type,
    fields: int,
    key: Callable[[dict[str, Any]], Any] | KeySpec,
) -> tuple[Callable[[Any, Callable[[Any], Any]], Any], Callable[[Any, Callable[[Any], Any]], Any]]:
    """``(send, send_all)`` for a model whose instances ``ignite_wire`` writes as its value
    objects itself (registered with ``ignite_wire.binary.write_as``: no field needs a
    converter), so nothing is copied into a binary object per write.

    ``send(obj, other)`` is ``(key, obj)``; ``send_all(objs, other)`` the list of them.
    An object that is not exactly of ``model`` or lacks a field in its ``__dict__`` (made
    by ``model_construct`` without it) goes to ``other(obj)`` instead: the general writer,
    whose checks and errors it keeps.  ``key`` is as for :func:`compile_writer`; the key
    field of a :data:`KeySpec` has no converter here.
    """
    env: dict[str, Any] = {"_M": model}
    if isinstance(key, tuple):
        name, convert, env["_hint"] = key
        assert convert is None
        make_key = f"(d[{name!r}], _hint)"
    else:
        env["_key"] = key
        make_key = "_key(d)"
    source = f"""
def send(obj, other):
    if type(obj) is _M:
        d = obj.__dict__
        if len(d) == {fields}:
            return {make_key}, obj
    return other(obj)

def send_all(objs, other):
    out = []
    add = out.append
    for obj in objs:
        if type(obj) is _M:
            d = obj.__dict__
            if len(d) == {fields}:
                add(({make_key}, obj))
                continue
        add(other(obj))
    return out
"""
    code = compile(source, f"<ignite_orm sender of {model.__qualname__}>", "exec")
    exec(code, env)  # names are repr()'d: any field name is safe
    return env["send"], env["send_all"]
