/* Held pairs: a cursor page's (key, object) pairs kept out of the garbage collector until
 * the cursor hands them out (issue 12).
 *
 * Why: a page of 1024 objects makes 2048 container objects (each pair and its object)
 * that all stay alive until the application reaches them.  Every collection of the
 * youngest generation while they wait traverses all of them, finds them alive, and moves
 * them on to older generations that are traversed again: in a scan, W6's loop, a quarter
 * of the client's CPU per object.  Objects that are not tracked are not traversed.
 *
 * Why it is safe: the garbage collector is needed only for reference cycles, and a held
 * pair cannot be part of one.  decode_entries holds only what it made itself: a fresh
 * tuple of an int key and a fresh object whose fields are scalars (str, int, float,
 * bool, bytes, Decimal, datetime, UUID, None: none refers to anything else), referenced
 * by the page's list alone.  Nothing can point back to them before they are handed out,
 * and hand_out() tracks the pair and its object before anyone else sees them (then they
 * are ordinary objects).  A page dropped before the end frees its held pairs by
 * reference counting, as always.  The rule for callers: a list that decode_entries filled
 * with held=True is read only through hand_out() (read_pages.decode_pairs(held=True) ->
 * the cursors' CursorState).
 */
#ifndef IGNITE_WIRE_ACCEL_HELD_H
#define IGNITE_WIRE_ACCEL_HELD_H

#include <Python.h>

/* Take a pair decode_entries made (and its object) out of the collector's sight: only a
 * pair and an object nothing else refers to yet, the object made by object.__new__ (a
 * class's own __new__ could hand back a shared object, or one holding containers). */
static void hold(PyObject *pair, PyObject *obj) {
    if (Py_REFCNT(pair) != 1 || Py_REFCNT(obj) != 1 ||
        Py_TYPE(obj)->tp_new != PyBaseObject_Type.tp_new)
        return;
    if (PyObject_GC_IsTracked(obj)) PyObject_GC_UnTrack(obj);
    if (PyObject_GC_IsTracked(pair)) PyObject_GC_UnTrack(pair);
}

/* Give a pair back to the collector, with what it holds (no-op for tracked ones). */
static void release(PyObject *pair) {
    if (!PyTuple_CheckExact(pair) || PyObject_GC_IsTracked(pair)) return;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(pair); i++) {
        PyObject *part = PyTuple_GET_ITEM(pair, i);
        if (PyObject_IS_GC(part) && !PyObject_GC_IsTracked(part)) PyObject_GC_Track(part);
    }
    PyObject_GC_Track(pair);
}

/* hand_out(list): an iterator over the list that releases each pair as it returns it. */
typedef struct {
    PyObject_HEAD
    PyObject *list; /* NULL once exhausted */
    Py_ssize_t index;
} HandOut;

static void handout_dealloc(HandOut *self) {
    PyObject_GC_UnTrack(self);
    Py_XDECREF(self->list);
    PyObject_GC_Del(self);
}

static int handout_traverse(HandOut *self, visitproc visit, void *arg) {
    Py_VISIT(self->list);
    return 0;
}

static int handout_clear(HandOut *self) {
    Py_CLEAR(self->list);
    return 0;
}

static PyObject *handout_next(HandOut *self) {
    PyObject *list = self->list;
    if (list == NULL) return NULL;
    if (self->index < PyList_GET_SIZE(list)) {
        PyObject *item = PyList_GET_ITEM(list, self->index);
        self->index++;
        release(item);
        Py_INCREF(item);
        return item;
    }
    self->list = NULL;
    Py_DECREF(list);
    return NULL;
}

static PyObject *handout_length_hint(HandOut *self, PyObject *unused) {
    (void)unused;
    Py_ssize_t left = self->list ? PyList_GET_SIZE(self->list) - self->index : 0;
    return PyLong_FromSsize_t(left > 0 ? left : 0);
}

static PyMethodDef handout_methods[] = {
    {"__length_hint__", (PyCFunction)handout_length_hint, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject HandOutType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ignite_wire._protocol._objects_accel.hand_out",
    .tp_basicsize = sizeof(HandOut),
    .tp_dealloc = (destructor)handout_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "hand_out(list): iterate over a page's pairs, giving held ones back to the "
              "garbage collector as they are returned.",
    .tp_traverse = (traverseproc)handout_traverse,
    .tp_clear = (inquiry)handout_clear,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)handout_next,
    .tp_methods = handout_methods,
};

static PyObject *handout_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    PyObject *list;
    if (kwargs && PyDict_GET_SIZE(kwargs)) {
        PyErr_SetString(PyExc_TypeError, "hand_out takes no keyword arguments");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "O!:hand_out", &PyList_Type, &list)) return NULL;
    HandOut *self = PyObject_GC_New(HandOut, type);
    if (!self) return NULL;
    Py_INCREF(list);
    self->list = list;
    self->index = 0;
    PyObject_GC_Track(self);
    return (PyObject *)self;
}

#endif
