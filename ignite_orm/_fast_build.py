"""Models straight from decoded entries: a loader generated once per model class.

Reading a row used to copy the binary object's fields into a dict, convert, fill
defaults, copy again and call pydantic's ``model_construct``, which walks every field's
aliases and defaults: about as much work again as decoding the row.  :func:`compile_loader`
writes one function per model instead: it reads the decoded object's fields by name,
checks each value is *exactly* of the field's Python type (``type(v) is int``; ``None``
only where the field allows it), converts where the field type says so (a ``Date`` as
``date``, an enum value as its member, ...) and sets the instance's ``__dict__`` and
pydantic's bookkeeping slots as ``model_construct`` does, with no reflection per call.

The fast path trusts nothing it has not checked: a value of another type (a column
written by another client as a string, a ``Long`` in a ``float`` field), a null in a
field that does not allow one, a field missing (an object written before the field
existed) or an unknown one, a value ``None``, or a model with ``model_post_init``, and
the loader hands the entry to the general path (``ModelInfo`` ``._load_checked``), which
gives defaults, validates what does not fit and raises
:class:`~ignite_orm.errors.StoredValueError` naming the model, key and field.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from ignite_wire.binary import fields_view, from_fields

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


def _read(lines: list[str], env: dict[str, Any], var: str, spec: FieldSpec, n: int) -> None:
    """Lines checking (and converting) local ``var``; any misfit returns ``_slow(...)``."""
    _name, exact, nullable, convert, items = spec
    pad = "    "
    if convert is not None:
        env[f"_c{n}"] = convert
        lines += [
            f"{pad}if {var} is not None:",
            f"{pad}    try:",
            f"{pad}        {var} = _c{n}({var})",
            f"{pad}    except Exception:",
            f"{pad}        return _slow(key, value)",
        ]
    if exact is None:
        if not nullable:
            lines.append(f"{pad}if {var} is None: return _slow(key, value)")
        return
    env[f"_t{n}"] = exact
    if nullable:
        lines.append(f"{pad}if {var} is not None and type({var}) is not _t{n}:")
    else:
        lines.append(f"{pad}if type({var}) is not _t{n}:")
    lines.append(f"{pad}    return _slow(key, value)")
    if items is not None:
        env[f"_items{n}"] = items
        env["_items_fit"] = items_fit
        lines.append(f"{pad}if {var} is not None and not _items_fit(_items{n}, {var}):")
        lines.append(f"{pad}    return _slow(key, value)")


def compile_loader(
    model: type[BaseModel],
    value_fields: list[FieldSpec],
    key_fields: list[FieldSpec],
    composite: bool,
    slow: Callable[[Any, Any], Any],
) -> Callable[[Any, Any], Any]:
    """The loader ``(key, value) -> model instance`` of one model class.

    ``value_fields`` are read from the value object's fields; ``key_fields`` from the
    key object's (``composite``), or the single one is the key itself; an embedded
    model has no key fields (``key`` is then ignored).  ``slow(key, value)`` is the
    general path for whatever the loader does not take (see the module docstring).
    """
    env: dict[str, Any] = {
        "_slow": slow,
        "_new": object.__new__,
        "_M": model,
        "_view": fields_view,
    }
    lines = ["def load(key, value):", "    try:", "        d = _view(value)"]
    lines.append(f"        if len(d) != {len(value_fields)}: return _slow(key, value)")
    for i, (name, *_) in enumerate(value_fields):
        lines.append(f"        v{i} = d[{name!r}]")
    if composite:
        lines += ["        kd = _view(key)", f"        if len(kd) != {len(key_fields)}:"]
        lines.append("            return _slow(key, value)")
        for i, (name, *_) in enumerate(key_fields):
            lines.append(f"        k{i} = kd[{name!r}]")
    elif key_fields:
        lines.append("        k0 = key")
    # AttributeError/TypeError: not a binary object (None, a scalar); KeyError: other fields
    lines += [
        "    except (AttributeError, KeyError, TypeError):",
        "        return _slow(key, value)",
    ]
    n = 0
    for i, spec in enumerate(value_fields):
        _read(lines, env, f"v{i}", spec, n)
        n += 1
    for i, spec in enumerate(key_fields):
        _read(lines, env, f"k{i}", spec, n)
        n += 1
    items = [f"{s[0]!r}: k{i}" for i, s in enumerate(key_fields)]
    items += [f"{s[0]!r}: v{i}" for i, s in enumerate(value_fields)]
    values = "{" + ", ".join(items) + "}"
    if _plain(model):
        names = frozenset(s[0] for s in [*key_fields, *value_fields])
        env["_names"] = names
        # pydantic's own slots (``__dict__`` included), set through their descriptors (a
        # little faster than object.__setattr__ by name, and the same thing)
        slots = BaseModel.__dict__
        env["_dict"] = slots["__dict__"].__set__
        env["_fields_set"] = slots["__pydantic_fields_set__"].__set__
        env["_extra"] = slots["__pydantic_extra__"].__set__
        env["_private"] = slots["__pydantic_private__"].__set__
        extra = "{}" if model.model_config.get("extra") == "allow" else "None"
        lines += [
            "    m = _new(_M)",
            f"    _dict(m, {values})",
            "    _fields_set(m, set(_names))",
            f"    _extra(m, {extra})",
            "    _private(m, None)",
            "    return m",
        ]
    else:
        lines.append(f"    return _M.model_construct(**{values})")
    source = "\n".join(lines)
    code = compile(source, f"<ignite_orm loader of {model.__qualname__}>", "exec")
    exec(code, env)  # generated from field names checked as identifiers by pydantic
    loader: Callable[[Any, Any], Any] = env["load"]
    return loader


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
