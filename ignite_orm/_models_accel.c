/* The optional compiled page loader of plain models (issue 12, W7: rows as models).
 *
 * ignite_orm is pure Python; this module only makes the page form of the generated
 * loaders (_fast_build.compile_loader) cheaper for the common model: a single key field
 * (or none), and fields whose stored values need no conversion and no item checks.  For
 * each row [key, value] of a SQL page it does what the pure page form does, in the same
 * order: the value's fields through ignite_wire's public fields_view(), exactly one
 * entry per value field, each value *exactly* of its field's type (None only where the
 * field allows it), the key likewise; then the instance as pydantic's model_construct
 * makes it: a new instance of the model, its __dict__ (key fields first, then value
 * fields) set through pydantic's own slot descriptor, __pydantic_fields_set__ a new set
 * of every field name, __pydantic_extra__ None (a new dict for extra="allow"),
 * __pydantic_private__ None.
 *
 * Four steps are cheaper than the pure path's and give the same instance (with the
 * value fields found by one walk of the value's dict and a compiled fields_view, W7's
 * rows as models cost 6.3k instructions per row over raw rows before, 4.5k after, under
 * callgrind: benchmarks/bench_orm_rows.py; 4.3k with the dict copied from a template):
 * each __dict__ is a copy of a per-page template of the field names (key first) with
 * every value put in its place, a copy of the template's table and a replacement per
 * field instead of an insertion per field into a table grown from empty; the instance
 * comes from the type's tp_alloc,
 * without the attribute table object.__new__ adds in CPython 3.11/3.12 that assigning
 * __dict__ turns into a dict and drops (build_one); the three slots are written directly
 * at the offsets of pydantic's member descriptors, checked once a page (slot_offset); and
 * each fields set is left out of the cyclic collector (a set of str cannot be in a cycle).
 *
 * The rule that keeps both paths identical: build_page() returns the models only when
 * every row passes every check; on anything else (a row that is not a 2-item list, a
 * value that is no binary object, a field missing or of another type, an error of any
 * kind on the way) it returns None and the pure page form decides -- builds them, or
 * hands the odd rows to the general path, which validates or raises StoredValueError.
 * Built by hatch_build.py when a C compiler is present; IGNITE_WIRE_PURE=1 in the
 * environment makes the import fail on purpose.  tests/orm/test_fast_build.py compares
 * this path, the pure page form and the row-by-row loader on the same pages.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdlib.h>
#include <string.h>

/* The spec tuple: (model, fields_view, names, key_name or None, key_type or None,
 * key_nullable, value_names, value_types, value_nullables, extra_allow, dict_set,
 * fields_set_set, extra_set, private_set).  Types None: not checked.  The *_set items are
 * pydantic's slot descriptors (BaseModel.__dict__[...]); names is a frozenset of every
 * field name whose table is as small as a copy's (_fast_build.field_names), so each
 * fields set is a copy of its table. */
enum {
    S_MODEL, S_VIEW, S_NAMES, S_KEY_NAME, S_KEY_TYPE, S_KEY_NULLABLE, S_VALUE_NAMES,
    S_VALUE_TYPES, S_VALUE_NULLABLES, S_EXTRA_ALLOW, S_DICT, S_FIELDS_SET, S_EXTRA,
    S_PRIVATE, S_SIZE
};

#define MAX_FIELDS 64

/* Whether v fits a field of exact type t (None: any value) that allows None or not. */
static inline int fits(PyObject *v, PyObject *t, int nullable) {
    if (v == Py_None) return nullable;
    return t == Py_None || (PyObject *)Py_TYPE(v) == t;
}

static inline int set_slot(PyObject *descr, PyObject *obj, PyObject *value) {
    descrsetfunc set = Py_TYPE(descr)->tp_descr_set;
    return set == NULL ? -1 : set(descr, obj, value);
}

/* The offset of the object slot a member descriptor of model's sets (pydantic's
 * __pydantic_fields_set__, ...), or -1 when it is not a plain writable object slot of
 * model's instances: then the page is left to the pure path. */
static Py_ssize_t slot_offset(PyObject *descr, PyTypeObject *model) {
    if (Py_TYPE(descr) != &PyMemberDescr_Type) return -1;
    PyMemberDescrObject *member = (PyMemberDescrObject *)descr;
    PyMemberDef *def = member->d_member;
    if (def->type != T_OBJECT_EX || (def->flags & READONLY) || def->offset <= 0 ||
        (size_t)def->offset + sizeof(PyObject *) > (size_t)model->tp_basicsize ||
        !PyType_IsSubtype(model, PyDescr_TYPE(member)))
        return -1;
    return def->offset;
}

/* Where build_one writes an instance's slots directly: a fresh instance (tp_alloc zeroes
 * it) holds NULL in each, so nothing is replaced.  What member_set would do, less its
 * checks, which slot_offset made once per page. */
typedef struct {
    Py_ssize_t fields_set, extra, private;
} Slots;

static inline void put_slot(PyObject *obj, Py_ssize_t offset, PyObject *value) {
    PyObject **slot = (PyObject **)((char *)obj + offset);
    Py_INCREF(value);
    *slot = value;
}

/* One model for a row that fits, a new reference; NULL with no error set: it does not
 * fit (or an error happened: cleared, the pure path decides).
 *
 * The instance is made as object.__new__(model) makes it, by the type's tp_alloc, less
 * one step: CPython 3.11 and 3.12 give a new instance of a class whose instances keep
 * their attributes in the interpreter's compact form a table of values for them, which
 * the assignment of __dict__ right after turns into a dict and throws away (about a
 * quarter of the work per model); without it the instance has no attributes and no dict
 * until __dict__ is set, as Python code can see after object.__new__ too. */
static PyObject *build_one(PyObject **spec, const Slots *slots, PyObject *template,
                           PyObject *row, Py_ssize_t nvalues) {
    if (!PyList_CheckExact(row) || PyList_GET_SIZE(row) != 2) return NULL;
    PyObject *key = PyList_GET_ITEM(row, 0), *value = PyList_GET_ITEM(row, 1);
    PyObject *key_name = spec[S_KEY_NAME];
    if (key_name != Py_None && !fits(key, spec[S_KEY_TYPE], spec[S_KEY_NULLABLE] == Py_True))
        return NULL;
    PyObject *d = PyObject_CallOneArg(spec[S_VIEW], value);
    if (d == NULL) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *values[MAX_FIELDS];
    PyObject *model = NULL, *dict = NULL, *fields_set = NULL, *extra = NULL;
    if (!PyDict_CheckExact(d) || PyDict_GET_SIZE(d) != nvalues) goto misfit;
    /* The fields in the value's own order: the decoder writes them in schema order under
     * the schema's interned names, the very objects value_names holds, so each is found
     * by walking the dict once; a name that is not the one expected there (another
     * order, another string object) and the fields are looked up by name instead. */
    Py_ssize_t pos = 0, i = 0;
    PyObject *name, *v;
    while (i < nvalues && PyDict_Next(d, &pos, &name, &v) &&
           name == PyTuple_GET_ITEM(spec[S_VALUE_NAMES], i))
        values[i++] = v;
    for (; i < nvalues; i++) {
        v = PyDict_GetItemWithError(d, PyTuple_GET_ITEM(spec[S_VALUE_NAMES], i));
        if (v == NULL) goto misfit;  /* missing (or an error: cleared below) */
        values[i] = v;
    }
    for (i = 0; i < nvalues; i++)  /* borrowed from d, which the value object keeps alive */
        if (!fits(values[i], PyTuple_GET_ITEM(spec[S_VALUE_TYPES], i),
                  PyTuple_GET_ITEM(spec[S_VALUE_NULLABLES], i) == Py_True))
            goto misfit;
    /* The page's template (every field name, key first, to None) copied, then each value
     * put in its place: a copy of the template's table whole and a replacement per field,
     * instead of an insertion per field into a table that grows from empty. */
    dict = PyDict_Copy(template);
    if (dict == NULL) goto misfit;
    if (key_name != Py_None && PyDict_SetItem(dict, key_name, key) < 0) goto misfit;
    for (Py_ssize_t i = 0; i < nvalues; i++)
        if (PyDict_SetItem(dict, PyTuple_GET_ITEM(spec[S_VALUE_NAMES], i), values[i]) < 0)
            goto misfit;
    PyTypeObject *type = (PyTypeObject *)spec[S_MODEL];
    model = type->tp_alloc(type, 0);
    if (model == NULL) goto misfit;
    if (set_slot(spec[S_DICT], model, dict) < 0) goto misfit;
    fields_set = PySet_New(spec[S_NAMES]);  /* the template's table copied whole */
    if (fields_set == NULL) goto misfit;
    /* A set of field names (str) cannot be part of a reference cycle: the collector need
     * not look at it, as it need not look at a dict of str keys and atomic values, which
     * CPython itself untracks.  Every young collection while a page of models is made, and
     * every older one while they live, visited it for nothing. */
    PyObject_GC_UnTrack(fields_set);
    put_slot(model, slots->fields_set, fields_set);
    if (spec[S_EXTRA_ALLOW] == Py_True) {
        extra = PyDict_New();
        if (extra == NULL) goto misfit;
        put_slot(model, slots->extra, extra);
    } else {
        put_slot(model, slots->extra, Py_None);
    }
    put_slot(model, slots->private, Py_None);
    Py_DECREF(d);
    Py_DECREF(dict);
    Py_DECREF(fields_set);
    Py_XDECREF(extra);
    return model;
misfit:
    PyErr_Clear();
    Py_DECREF(d);
    Py_XDECREF(dict);
    Py_XDECREF(model);
    Py_XDECREF(fields_set);
    Py_XDECREF(extra);
    return NULL;
}

/* build_page(spec, rows) -> list of models, or None: the pure page form decides. */
static PyObject *build_page(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !PyTuple_CheckExact(args[0]) || PyTuple_GET_SIZE(args[0]) != S_SIZE) {
        PyErr_SetString(PyExc_TypeError, "build_page(spec, rows): a spec tuple and rows");
        return NULL;
    }
    if (!PyList_CheckExact(args[1])) Py_RETURN_NONE;  /* other sequences: the pure path */
    PyObject **spec = &PyTuple_GET_ITEM(args[0], 0);
    if (!PyType_Check(spec[S_MODEL]) || !PyTuple_CheckExact(spec[S_VALUE_NAMES]) ||
        !PyTuple_CheckExact(spec[S_VALUE_TYPES]) || !PyTuple_CheckExact(spec[S_VALUE_NULLABLES]) ||
        !PyFrozenSet_CheckExact(spec[S_NAMES])) {
        PyErr_SetString(PyExc_TypeError, "build_page(): malformed spec");
        return NULL;
    }
    Py_ssize_t nvalues = PyTuple_GET_SIZE(spec[S_VALUE_NAMES]);
    if (nvalues > MAX_FIELDS || PyTuple_GET_SIZE(spec[S_VALUE_TYPES]) != nvalues ||
        PyTuple_GET_SIZE(spec[S_VALUE_NULLABLES]) != nvalues) {
        PyErr_SetString(PyExc_TypeError, "build_page(): malformed spec");
        return NULL;
    }
    PyTypeObject *type = (PyTypeObject *)spec[S_MODEL];
    Slots slots = {
        slot_offset(spec[S_FIELDS_SET], type),
        slot_offset(spec[S_EXTRA], type),
        slot_offset(spec[S_PRIVATE], type),
    };
    /* an abstract class (object.__new__ refuses it) or slots not where pydantic keeps
     * them: the pure path, which goes through object.__new__ and the descriptors */
    if ((type->tp_flags & Py_TPFLAGS_IS_ABSTRACT) || slots.fields_set < 0 ||
        slots.extra < 0 || slots.private < 0)
        Py_RETURN_NONE;
    /* The fields in the order every model's __dict__ has them (key first): copied per row */
    PyObject *template = PyDict_New();
    if (template == NULL) return NULL;
    if (spec[S_KEY_NAME] != Py_None && PyDict_SetItem(template, spec[S_KEY_NAME], Py_None) < 0) {
        Py_DECREF(template);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nvalues; i++)
        if (PyDict_SetItem(template, PyTuple_GET_ITEM(spec[S_VALUE_NAMES], i), Py_None) < 0) {
            Py_DECREF(template);
            return NULL;
        }
    PyObject *rows = args[1];
    Py_ssize_t n = PyList_GET_SIZE(rows);
    PyObject *out = PyList_New(n);
    if (out == NULL) {
        Py_DECREF(template);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        /* the list may change only through code build_one runs (fields_view): recheck */
        if (i >= PyList_GET_SIZE(rows)) goto give_up;
        PyObject *row = PyList_GET_ITEM(rows, i);
        Py_INCREF(row);
        PyObject *model = build_one(spec, &slots, template, row, nvalues);
        Py_DECREF(row);
        if (model == NULL) goto give_up;
        PyList_SET_ITEM(out, i, model);
    }
    Py_CLEAR(template);
    if (PyList_GET_SIZE(rows) != n) goto give_up;
    return out;
give_up:
    Py_XDECREF(template);
    Py_DECREF(out);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"build_page", (PyCFunction)(void (*)(void))build_page, METH_FASTCALL,
     "build_page(spec, rows): the models of a page of [key, value] rows, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_models_accel",
    "The optional compiled page loader of plain models (see the C source's comment).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__models_accel(void) {
    const char *pure = getenv("IGNITE_WIRE_PURE");
    if (pure != NULL && pure[0] != '\0' && strcmp(pure, "0") != 0) {
        PyErr_SetString(PyExc_ImportError, "IGNITE_WIRE_PURE is set: the pure-Python path");
        return NULL;
    }
    return PyModule_Create(&module);
}
