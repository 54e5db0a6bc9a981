/* The optional compiled decoder of binary objects laid out the usual way (issue 12).
 *
 * ignite_wire is pure Python; this module only makes the expected-layout path of the
 * generated per-class decoders (object_decoder.compile_decoder, decode_layout.py) cheaper:
 * an object whose fields are all of its schema's scalar types or null, each right after
 * the previous one from offset 24, compact footer with 1- or 2-byte offsets, is read
 * field by field straight into Python values, and the instance is made and filled here.
 * It is built by hatch_build.py when a C compiler is present and skipped otherwise;
 * IGNITE_WIRE_PURE=1 in the environment makes the import fail on purpose (pure path).
 *
 * The rule that keeps both paths identical: decode_object() returns the object only when
 * every check the pure expected-layout path makes holds (and a few stricter ones: every
 * payload ends before the footer, Decimals of at most 8 magnitude bytes, Timestamps a
 * datetime can hold to the microsecond).  On anything else it returns None and the
 * generated decoder goes on with its pure-Python paths, which decide -- decode, or hand
 * the object to the general reader that raises the error with its offset.  Every read is
 * bounds-checked against the buffer's length before it happens.
 * tests/wire/protocol/test_objects_accel.py runs both paths on the same bytes.
 */
#include "_accel_scalars.h"
#include "_accel_held.h"
#include "_accel_objects_api.h"
#include <stddef.h>

/* The header flags the generated decoders take (type_codes.py): user type, schema,
 * compact footer, and 1- or 2-byte offsets. */
#define ONE_BYTE_FLAGS (0x01 | 0x02 | 0x20 | 0x08)
#define TWO_BYTE_FLAGS (0x01 | 0x02 | 0x20 | 0x10)
#define HEADER 24
#define MAX_FIELDS 256

/* The value of the field whose payload is at v (its type code already checked), payload
 * bytes limited to `room`; sets *size.  NULL without an error: the pure path decides. */
static PyObject *field_value(int code, const unsigned char *v, Py_ssize_t room,
                             Py_ssize_t *size) {
    if (code == T_BYTE_ARR) {
        if (room < 4) return NULL;
        int32_t len = i32(v);
        if (len < 0 || len > room - 4) return NULL;
        *size = 4 + (Py_ssize_t)len;
        return PyBytes_FromStringAndSize((const char *)v + 4, len);
    }
    return scalar_payload(code, v, room, size);
}

/* Fill the new instance: attribute stores (what the generated decoder does when they
 * store into the instance dict, see object_decoder._attribute_stores) or dict stores,
 * then the class's defaults of fields this schema lacks.  -1 on error.  The class's
 * setattro is object's there (checked now, not only when the spec was made), so it is
 * called directly, with the names the spec interned (PyObject_SetAttr interns its name
 * argument on every call, a lookup in the interned table for names read from the
 * metadata). */
static int store(PyObject *obj, PyObject *names, PyObject **values, Py_ssize_t n,
                 int attributes, PyObject *extras) {
    PyObject *d = NULL;
    if (!attributes || extras != Py_None) {
        d = PyObject_GenericGetDict(obj, NULL);
        if (!d) return -1;
    }
    int generic = Py_TYPE(obj)->tp_setattro == PyObject_GenericSetAttr;
    int rc = 0;
    for (Py_ssize_t i = 0; i < n && rc == 0; i++) {
        PyObject *name = PyTuple_GET_ITEM(names, i);
        if (!attributes) {
            rc = PyDict_SetItem(d, name, values[i]);
        } else if (generic && PyUnicode_CheckExact(name) && PyUnicode_CHECK_INTERNED(name)) {
            rc = PyObject_GenericSetAttr(obj, name, values[i]);
        } else {
            rc = PyObject_SetAttr(obj, name, values[i]);
        }
    }
    if (rc == 0 && extras != Py_None) rc = PyDict_Update(d, extras);
    Py_XDECREF(d);
    return rc;
}

/* A new instance, as the spec's new(cls) makes it: object.__new__ (the class does not
 * override __new__) is called through its slot, without the bound-method call and the
 * argument tuple it builds. */
static PyObject *instance(PyObject *new, PyObject *cls) {
    if (PyType_Check(cls) && ((PyTypeObject *)cls)->tp_new == PyBaseObject_Type.tp_new &&
        PyCFunction_Check(new) && PyCFunction_GET_SELF(new) == (PyObject *)&PyBaseObject_Type)
        return PyBaseObject_Type.tp_new((PyTypeObject *)cls, EMPTY, NULL);
    return PyObject_CallOneArg(new, cls);
}

/* The object at start (it ends at start + total), or None (see the top of this file). */
static PyObject *object_at(const unsigned char *b, Py_ssize_t blen, Py_ssize_t start,
                        long flags, Py_ssize_t total, Py_ssize_t footer, PyObject *spec) {
    PyObject *codes = PyTuple_GET_ITEM(spec, 0), *names = PyTuple_GET_ITEM(spec, 1);
    PyObject *new = PyTuple_GET_ITEM(spec, 2), *cls = PyTuple_GET_ITEM(spec, 3);
    int attributes = PyTuple_GET_ITEM(spec, 4) == Py_True;
    PyObject *extras = PyTuple_GET_ITEM(spec, 5);
    Py_ssize_t n = PyBytes_GET_SIZE(codes);
    const unsigned char *want = (const unsigned char *)PyBytes_AS_STRING(codes);
    Py_ssize_t width = flags == ONE_BYTE_FLAGS ? 1 : flags == TWO_BYTE_FLAGS ? 2 : 0;
    if (!width || n < 1 || n > MAX_FIELDS || PyTuple_GET_SIZE(names) != n ||
        start < 0 || total < HEADER || total > blen - start || footer < HEADER ||
        footer + n * width != total)
        Py_RETURN_NONE;
    const unsigned char *obj_b = b + start, *foot = obj_b + footer;
    PyObject *values[MAX_FIELDS];
    Py_ssize_t done = 0, at = HEADER;
    PyObject *result = NULL;
    for (; done < n; done++) {
        Py_ssize_t off = width == 1 ? foot[done] : (foot[2 * done] | foot[2 * done + 1] << 8);
        /* each field right after the previous one, inside the data, of the schema's type
         * or null (one byte; the pure per-field path reads it as None) */
        if (off != at || at >= footer) break;
        if (obj_b[at] == T_NULL) {
            Py_INCREF(Py_None);
            values[done] = Py_None;
            at += 1;
            continue;
        }
        if (obj_b[at] != want[done]) break;
        Py_ssize_t size = 0;
        PyObject *value = field_value(want[done], obj_b + at + 1, footer - at - 1, &size);
        if (!value) break;
        values[done] = value;
        at += 1 + size;
    }
    if (done == n) {
        PyObject *obj = instance(new, cls);
        if (obj && store(obj, names, values, n, attributes, extras) == 0) {
            result = obj;
        } else {
            Py_XDECREF(obj);
        }
    } else if (!PyErr_Occurred()) {
        result = Py_None;
        Py_INCREF(result);
    }
    for (Py_ssize_t i = 0; i < done; i++) Py_DECREF(values[i]);
    return result;
}

PyDoc_STRVAR(decode_object_doc,
"decode_object(buf, start, flags, total, footer, spec) -> (object, end) or None\n\n"
"spec: (type codes as bytes, field names, new, cls, attribute stores, extras or None).");

static PyObject *decode_object(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "decode_object takes 6 arguments");
        return NULL;
    }
    PyObject *spec = args[5];
    if (!PyTuple_CheckExact(spec) || PyTuple_GET_SIZE(spec) != 6 ||
        !PyBytes_CheckExact(PyTuple_GET_ITEM(spec, 0)) ||
        !PyTuple_CheckExact(PyTuple_GET_ITEM(spec, 1)) ||
        !(PyTuple_GET_ITEM(spec, 5) == Py_None || PyDict_Check(PyTuple_GET_ITEM(spec, 5)))) {
        PyErr_SetString(PyExc_TypeError, "decode_object: bad spec");
        return NULL;
    }
    Py_ssize_t start = PyLong_AsSsize_t(args[1]);
    long flags = PyLong_AsLong(args[2]);
    Py_ssize_t total = PyLong_AsSsize_t(args[3]);
    Py_ssize_t footer = PyLong_AsSsize_t(args[4]);
    if (PyErr_Occurred()) return NULL;
    PyObject *obj;
    if (PyBytes_CheckExact(args[0])) {
        obj = object_at((const unsigned char *)PyBytes_AS_STRING(args[0]),
                        PyBytes_GET_SIZE(args[0]), start, flags, total, footer, spec);
    } else {
        Py_buffer view;
        if (PyObject_GetBuffer(args[0], &view, PyBUF_SIMPLE) < 0) return NULL;
        obj = object_at(view.buf, view.len, start, flags, total, footer, spec);
        PyBuffer_Release(&view);
    }
    if (!obj || obj == Py_None) return obj;
    return Py_BuildValue("(Nn)", obj, start + total);
}

/* The page's last looked-up entry of specs (Last, _accel_objects_api.h): a page usually
 * holds one class, so the dict lookup, the schema id's conversion and the spec's checks
 * are made once per class. */

/* The spec of type id tid and schema sid in specs, or NULL (with an error only on a real
 * failure). */
static PyObject *spec_of(PyObject *specs, int32_t tid, int32_t sid, Last *last) {
    if (last->entry == NULL || last->tid != tid) {
        PyObject *key = PyLong_FromLong(tid);
        if (!key) return NULL;
        PyObject *entry = PyDict_GetItemWithError(specs, key);
        Py_DECREF(key);
        if (!entry) return NULL;
        if (!PyTuple_CheckExact(entry) || PyTuple_GET_SIZE(entry) != 2) return NULL;
        long want = PyLong_AsLong(PyTuple_GET_ITEM(entry, 0));
        if (want == -1 && PyErr_Occurred()) return NULL;
        PyObject *spec = PyTuple_GET_ITEM(entry, 1);
        int usable = want >= INT32_MIN && want <= INT32_MAX && PyTuple_CheckExact(spec) &&
                     PyTuple_GET_SIZE(spec) == 6 &&
                     PyBytes_CheckExact(PyTuple_GET_ITEM(spec, 0)) &&
                     PyTuple_CheckExact(PyTuple_GET_ITEM(spec, 1)) &&
                     (PyTuple_GET_ITEM(spec, 5) == Py_None ||
                      PyDict_Check(PyTuple_GET_ITEM(spec, 5)));
        Py_INCREF(entry);
        Py_XSETREF(last->entry, entry);
        last->tid = tid;
        last->sid = (int32_t)want;
        last->spec = usable ? spec : NULL;
    }
    return last->spec != NULL && last->sid == sid ? last->spec : NULL;
}

/* The object at b[p], plain or wrapped (27: byte count, the bytes, offset 0), of a class
 * in specs, read under the same conditions as read_pages._one and _fast; its end in *end.
 * NULL without an error when the pure path must decide (_accel_objects_api.h). */
static PyObject *object_value(const unsigned char *b, Py_ssize_t blen, Py_ssize_t p,
                              PyObject *specs, Last *last, Py_ssize_t *end) {
    Py_ssize_t start = p, next = -1;
    if (p < 0 || p >= blen) return NULL;
    if (b[p] == 27 && blen - p >= 5) {
        Py_ssize_t n = i32(b + p + 1);
        start = p + 5;
        Py_ssize_t stop = start + n;
        if (n > 0 && stop <= blen - 4 && b[start] == 103 && i32(b + stop) == 0) next = stop + 4;
    } else if (b[p] == 103) {
        next = 0; /* the object's own end */
    }
    if (next < 0 || blen - start < HEADER) return NULL;
    const unsigned char *h = b + start;
    long flags = (int16_t)(h[2] | h[3] << 8);
    int32_t tid = i32(h + 4), total = i32(h + 12), sid = i32(h + 16);
    int32_t footer = i32(h + 20);
    PyObject *spec = spec_of(specs, tid, sid, last);
    if (!spec || total < HEADER || total > blen - start) return NULL;
    PyObject *found = object_at(b, blen, start, flags, total, footer, spec);
    if (found == Py_None) {
        Py_DECREF(found);
        return NULL;
    }
    if (found) *end = next == 0 ? start + total : next;
    return found;
}

/* The entries of a page read_pages takes the fast way: a long or int key, then an object
 * of a class in specs (object_value).  Stops at the first entry that is anything else
 * (or that object_at() leaves to the pure path).  -1 on error. */
static Py_ssize_t page(const unsigned char *b, Py_ssize_t blen, Py_ssize_t pos,
                       Py_ssize_t count, PyObject *specs, PyObject *items, int held,
                       Last *last) {
    while (PyList_GET_SIZE(items) < count) {
        if (pos < 0 || pos >= blen) break;
        Py_ssize_t p = pos, next = 0;
        PyObject *key;
        if (b[p] == T_LONG && blen - p >= 9) {
            key = PyLong_FromLongLong(i64(b + p + 1));
            p += 9;
        } else if (b[p] == T_INT && blen - p >= 5) {
            key = PyLong_FromLong(i32(b + p + 1));
            p += 5;
        } else {
            break;
        }
        if (!key) return -1;
        PyObject *found = object_value(b, blen, p, specs, last, &next);
        if (!found) {
            Py_DECREF(key);
            if (PyErr_Occurred()) return -1;
            break;
        }
        PyObject *pair = PyTuple_New(2);
        if (!pair) {
            Py_DECREF(key);
            Py_DECREF(found);
            return -1;
        }
        PyTuple_SET_ITEM(pair, 0, key); /* the pair takes both references */
        PyTuple_SET_ITEM(pair, 1, found);
        if (held) hold(pair, found);
        int rc = PyList_Append(items, pair);
        Py_DECREF(pair);
        if (rc < 0) return -1;
        pos = next;
    }
    return pos;
}

static Py_ssize_t entries(const unsigned char *b, Py_ssize_t blen, Py_ssize_t pos,
                          Py_ssize_t count, PyObject *specs, PyObject *items, int held) {
    Last last = {NULL, 0, 0, NULL};
    pos = page(b, blen, pos, count, specs, items, held, &last);
    Py_XDECREF(last.entry);
    return pos;
}

PyDoc_STRVAR(decode_entries_doc,
"decode_entries(buf, pos, count, specs, items, held=False) -> pos\n\n"
"Append (key, object) pairs to items while the entries at pos are a long or int key and\n"
"an object of a class in specs ({type id: (schema id, spec)}), up to count items; the\n"
"position of the first entry left to the caller.  held: the pairs are kept out of the\n"
"garbage collector until hand_out() returns them (see _accel_held.h).");

static PyObject *decode_entries(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs < 5 || nargs > 6 || !PyDict_Check(args[3]) || !PyList_CheckExact(args[4])) {
        PyErr_SetString(PyExc_TypeError,
                        "decode_entries(buf, pos, count, specs, items, held=False)");
        return NULL;
    }
    int held = nargs == 6 ? PyObject_IsTrue(args[5]) : 0;
    if (held < 0) return NULL;
    Py_ssize_t pos = PyLong_AsSsize_t(args[1]);
    Py_ssize_t count = PyLong_AsSsize_t(args[2]);
    if (PyErr_Occurred()) return NULL;
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_SIMPLE) < 0) return NULL;
    Py_ssize_t end = entries(view.buf, view.len, pos, count, args[3], args[4], held);
    PyBuffer_Release(&view);
    return end < 0 ? NULL : PyLong_FromSsize_t(end);
}

/* The keyword __init__ of a binary-object class (object_init.py): the usual call,
 * Cls(name=value, ...) with keywords only, stores every field in field order (None for
 * the fields not given) in the new instance's dict; anything else -- positional values,
 * a name that is not a field -- goes to slow(obj, *args, **kwargs), the generic
 * __init__, with exactly the caller's arguments.  It has tp_call and no vectorcall on
 * purpose: type.__call__ hands __init__ the keywords as the dict it built, which this
 * reads as it is (a vectorcall callable would get them unpacked into a tuple first).
 * Bound like a function (a method descriptor), so super().__init__(...) works. */
typedef struct {
    PyObject_HEAD
    PyObject *fields, *slow;
    PyObject *dict;  /* __name__, __qualname__, __signature__: set by object_init.py */
} KeywordInit;

static PyObject *NAME_DICT;

static PyObject *keyword_init_call(PyObject *callable, PyObject *args, PyObject *kwargs) {
    KeywordInit *k = (KeywordInit *)callable;
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError, "__init__ needs the instance");
        return NULL;
    }
    PyObject *fields = k->fields;
    Py_ssize_t n = PyTuple_GET_SIZE(fields);
    Py_ssize_t given = kwargs ? PyDict_GET_SIZE(kwargs) : 0;
    if (nargs == 1 && given <= n && (!kwargs || PyDict_CheckExact(kwargs))) {
        PyObject *values[MAX_FIELDS];
        Py_ssize_t found = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *v = given ? PyDict_GetItemWithError(kwargs, PyTuple_GET_ITEM(fields, i))
                                : NULL;
            if (v) found++;
            else if (PyErr_Occurred()) {
                while (i--) Py_DECREF(values[i]);
                return NULL;
            }
            else v = Py_None;
            Py_INCREF(v);
            values[i] = v;
        }
        if (found == given) {
            int rc = 0;
            PyObject *d = PyObject_GetAttr(PyTuple_GET_ITEM(args, 0), NAME_DICT);
            for (Py_ssize_t i = 0; i < n; i++) {
                if (d && rc == 0) rc = PyDict_SetItem(d, PyTuple_GET_ITEM(fields, i), values[i]);
                Py_DECREF(values[i]);
            }
            if (!d) return NULL;
            Py_DECREF(d);
            if (rc < 0) return NULL;
            Py_RETURN_NONE;
        }
        for (Py_ssize_t i = 0; i < n; i++) Py_DECREF(values[i]);
    }
    return PyObject_Call(k->slow, args, kwargs);
}

static PyObject *keyword_init_get(PyObject *self, PyObject *obj, PyObject *type) {
    (void)type;
    if (obj == NULL || obj == Py_None) {
        Py_INCREF(self);
        return self;
    }
    return PyMethod_New(self, obj);
}

static PyObject *keyword_init_mark(PyObject *self, void *closure) {
    (void)self; (void)closure;
    Py_RETURN_TRUE;
}

static PyGetSetDef keyword_init_getset[] = {
    {"__ignite_generated_init__", keyword_init_mark, NULL,
     "Set on every generated __init__ (object_init.GENERATED_MARK).", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static int keyword_init_traverse(PyObject *self, visitproc visit, void *arg) {
    KeywordInit *k = (KeywordInit *)self;
    Py_VISIT(k->fields);
    Py_VISIT(k->slow);
    Py_VISIT(k->dict);
    return 0;
}

static int keyword_init_clear(PyObject *self) {
    KeywordInit *k = (KeywordInit *)self;
    Py_CLEAR(k->fields);
    Py_CLEAR(k->slow);
    Py_CLEAR(k->dict);
    return 0;
}

static void keyword_init_dealloc(PyObject *self) {
    PyObject_GC_UnTrack(self);
    keyword_init_clear(self);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject KeywordInitType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ignite_wire._protocol._objects_accel.KeywordInit",
    .tp_basicsize = sizeof(KeywordInit),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_call = keyword_init_call,
    .tp_descr_get = keyword_init_get,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_dictoffset = offsetof(KeywordInit, dict),
    .tp_getset = keyword_init_getset,
    .tp_traverse = keyword_init_traverse,
    .tp_clear = keyword_init_clear,
    .tp_dealloc = keyword_init_dealloc,
    .tp_doc = "A binary-object class's keyword __init__ (keyword_init).",
};

/* A binary-object class called as Cls(name=value, ...) (issue 12, W4: building the
 * objects of a put_all is most of its caller's cost).  CPython calls a class through
 * type.__call__: a tuple and a dict are built for the arguments, __new__ runs, __init__
 * is looked up and called with the instance prepended to a new tuple -- for a keyword
 * __init__ (above) that only stores the keywords, most of the 0.4 us the call costs.
 * A class object can instead carry a vectorcall (PyTypeObject.tp_vectorcall, read when
 * the metaclass has Py_TPFLAGS_HAVE_VECTORCALL): class_call does the same as
 * type.__call__ for the usual call, straight from the caller's argument array:
 * object.__new__ (tp_new, with no arguments) and then what keyword_init_call does,
 * the keywords matched to the fields by identity (CPython interns keyword names and
 * field names alike) or string equality.  It does so only while the class's __new__ is
 * object's and its __init__ is still a KeywordInit (looked up on every call, through
 * the type cache, so a later `Cls.__init__ = ...` or a subclass's own __init__ is
 * honoured); every other call -- positional values, a keyword that is not a field, a
 * class changed after the fact -- goes to the metaclass's tp_call (type.__call__) with
 * the arguments it would have had.  So the instance, its dict (fields in field order,
 * None for those not given) and every error are type.__call__'s by construction;
 * tests/wire/protocol/test_object_init.py compares the paths. */
static PyObject *NAME_INIT, *EMPTY_TUPLE;

static PyObject *class_call_general(PyObject *callable, PyObject *const *args, size_t nargsf,
                                    PyObject *kwnames) {
    ternaryfunc call = Py_TYPE(callable)->tp_call;
    if (!call) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object is not callable",
                     Py_TYPE(callable)->tp_name);
        return NULL;
    }
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *tuple = PyTuple_New(nargs);
    if (!tuple) return NULL;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        Py_INCREF(args[i]);
        PyTuple_SET_ITEM(tuple, i, args[i]);
    }
    PyObject *kwargs = NULL;
    if (kwnames && PyTuple_GET_SIZE(kwnames)) {
        kwargs = PyDict_New();
        if (!kwargs) { Py_DECREF(tuple); return NULL; }
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); i++) {
            if (PyDict_SetItem(kwargs, PyTuple_GET_ITEM(kwnames, i), args[nargs + i]) < 0) {
                Py_DECREF(tuple);
                Py_DECREF(kwargs);
                return NULL;
            }
        }
    }
    PyObject *result = call(callable, tuple, kwargs);
    Py_DECREF(tuple);
    Py_XDECREF(kwargs);
    return result;
}

static PyObject *class_call(PyObject *callable, PyObject *const *args, size_t nargsf,
                            PyObject *kwnames) {
    PyTypeObject *type = (PyTypeObject *)callable;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs != 0 || type->tp_new != PyBaseObject_Type.tp_new ||
        Py_TYPE(callable)->tp_call != PyType_Type.tp_call)  /* a __call__ set later */
        return class_call_general(callable, args, nargsf, kwnames);
    PyObject *init = _PyType_Lookup(type, NAME_INIT);  /* borrowed */
    if (!init || Py_TYPE(init) != &KeywordInitType)
        return class_call_general(callable, args, nargsf, kwnames);
    PyObject *fields = ((KeywordInit *)init)->fields;
    Py_ssize_t n = PyTuple_GET_SIZE(fields);
    Py_ssize_t given = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    if (given > n) return class_call_general(callable, args, nargsf, kwnames);
    PyObject *values[MAX_FIELDS];
    for (Py_ssize_t i = 0; i < n; i++) values[i] = NULL;
    for (Py_ssize_t j = 0; j < given; j++) {
        PyObject *name = PyTuple_GET_ITEM(kwnames, j);
        Py_ssize_t at = -1;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (PyTuple_GET_ITEM(fields, i) == name) { at = i; break; }
        }
        if (at < 0 && PyUnicode_CheckExact(name)) {
            for (Py_ssize_t i = 0; i < n; i++) {
                PyObject *field = PyTuple_GET_ITEM(fields, i);
                if (PyUnicode_GET_LENGTH(field) == PyUnicode_GET_LENGTH(name) &&
                    PyUnicode_Compare(field, name) == 0) { at = i; break; }
            }
        }
        if (at < 0 || values[at]) return class_call_general(callable, args, nargsf, kwnames);
        values[at] = args[j];
    }
    /* The values are the caller's (its array holds them for the call); the fields are
     * the __init__'s, held here in case the class changes while __dict__ is read. */
    Py_INCREF(fields);
    PyObject *self = type->tp_new(type, EMPTY_TUPLE, NULL);
    PyObject *d = self ? PyObject_GetAttr(self, NAME_DICT) : NULL;
    int rc = d ? 0 : -1;
    for (Py_ssize_t i = 0; rc == 0 && i < n; i++)
        rc = PyDict_SetItem(d, PyTuple_GET_ITEM(fields, i), values[i] ? values[i] : Py_None);
    Py_XDECREF(d);
    Py_DECREF(fields);
    if (rc < 0) { Py_XDECREF(self); return NULL; }
    return self;
}

PyDoc_STRVAR(class_vectorcall_doc,
"class_vectorcall(cls, /)\n\n"
"Give the binary-object class `cls` (its __init__ a keyword_init) the fast call path;\n"
"whether it took (False: its metaclass defines __call__ or cannot carry a vectorcall).");

static PyObject *class_vectorcall(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 1 || !PyType_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "class_vectorcall(cls: type)");
        return NULL;
    }
    PyTypeObject *cls = (PyTypeObject *)args[0], *meta = Py_TYPE(args[0]);
    /* The metaclass must call classes as type does (no __call__ of its own), and
     * read a class's vectorcall where type puts it. */
    if (meta->tp_call != PyType_Type.tp_call ||
        meta->tp_vectorcall_offset != offsetof(PyTypeObject, tp_vectorcall) ||
        !(cls->tp_flags & Py_TPFLAGS_HEAPTYPE))
        Py_RETURN_FALSE;
    /* CPython 3.12+ sets the flag on such a metaclass itself; 3.10 and 3.11 do not
     * inherit it into heap metaclasses, so it is set here (tp_call unchanged: a class
     * without a tp_vectorcall is called through it as before). */
    meta->tp_flags |= Py_TPFLAGS_HAVE_VECTORCALL;
    cls->tp_vectorcall = class_call;
    Py_RETURN_TRUE;
}

PyDoc_STRVAR(keyword_init_doc,
"keyword_init(fields, slow, /)\n\n"
"The __init__ that stores the keywords naming fields (a tuple of str, field order) in\n"
"the instance dict, None for the others; slow(obj, *args, **kwargs) for any other call.");

static PyObject *keyword_init(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 2 || !PyTuple_CheckExact(args[0]) || !PyCallable_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "keyword_init(fields: tuple, slow: callable)");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(args[0]);
    if (n > MAX_FIELDS) {
        PyErr_SetString(PyExc_ValueError, "keyword_init: too many fields");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyUnicode_CheckExact(PyTuple_GET_ITEM(args[0], i))) {
            PyErr_SetString(PyExc_TypeError, "keyword_init: field names are str");
            return NULL;
        }
    }
    KeywordInit *k = PyObject_GC_New(KeywordInit, &KeywordInitType);
    if (!k) return NULL;
    Py_INCREF(args[0]);
    k->fields = args[0];
    Py_INCREF(args[1]);
    k->slow = args[1];
    k->dict = NULL;
    PyObject_GC_Track((PyObject *)k);
    return (PyObject *)k;
}

PyDoc_STRVAR(fields_view_doc,
"fields_view(obj) -> obj.__dict__: ignite_wire.binary.fields_view compiled.\n\n"
"The same lookup as the Python function's ``obj.__dict__``, without a Python frame:\n"
"ignite_orm calls it once per row it makes a model of (issue 12, W7).");

static PyObject *fields_view(PyObject *self, PyObject *obj) {
    return PyObject_GetAttr(obj, NAME_DICT);
}

static PyMethodDef methods[] = {
    {"fields_view", (PyCFunction)fields_view, METH_O, fields_view_doc},
    {"decode_object", (PyCFunction)(void (*)(void))decode_object, METH_FASTCALL,
     decode_object_doc},
    {"decode_entries", (PyCFunction)(void (*)(void))decode_entries, METH_FASTCALL,
     decode_entries_doc},
    {"keyword_init", (PyCFunction)(void (*)(void))keyword_init, METH_FASTCALL,
     keyword_init_doc},
    {"class_vectorcall", (PyCFunction)(void (*)(void))class_vectorcall, METH_FASTCALL,
     class_vectorcall_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_objects_accel",
    "Optional compiled decoder of usual-layout objects (see object_decoder.py).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__objects_accel(void) {
    if (accel_scalars_init() < 0) return NULL;
    HandOutType.tp_new = handout_new;
    if (PyType_Ready(&HandOutType) < 0 || PyType_Ready(&KeywordInitType) < 0) return NULL;
    if (!NAME_DICT && !(NAME_DICT = PyUnicode_InternFromString("__dict__"))) return NULL;
    if (!NAME_INIT && !(NAME_INIT = PyUnicode_InternFromString("__init__"))) return NULL;
    if (!EMPTY_TUPLE && !(EMPTY_TUPLE = PyTuple_New(0))) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    /* object_value for _rows_accel.c (_accel_objects_api.h): a static function, so the
     * capsule outlives nothing it points to. */
    PyObject *api = PyCapsule_New((void *)(ObjectValueFn)object_value, OBJECTS_API_CAPSULE,
                                  NULL);
    if (!api || PyModule_AddObject(m, "_object_value", api) < 0) {
        Py_XDECREF(api);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&HandOutType);
    if (PyModule_AddObject(m, "hand_out", (PyObject *)&HandOutType) < 0) {
        Py_DECREF(&HandOutType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
