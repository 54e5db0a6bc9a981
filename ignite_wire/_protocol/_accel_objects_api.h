/* The compiled object decoder's C API, shared by _objects_accel.c (which exports it as a
 * capsule) and _rows_accel.c (which imports it): SQL pages read their object columns
 * with the same code as scan pages (issue 12), not through the pure decode_values.
 *
 * object_value(b, blen, p, specs, last, &end): the object at b[p] -- a plain object
 * (103) or one wrapped (27, byte count, the bytes, offset 0) -- of a class in specs
 * ({type id: (schema id, spec)}), read when every check of the pure expected-layout path
 * holds; a new reference and its end in *end.  NULL without an error: the pure path
 * decides (another type, schema or layout, bad bytes); NULL with an error: a real
 * failure.  `last` caches the last entry looked up in specs (one per page, cleared by
 * the caller with Py_XDECREF(last.entry)). */
#ifndef IGNITE_WIRE_ACCEL_OBJECTS_API_H
#define IGNITE_WIRE_ACCEL_OBJECTS_API_H

#include <Python.h>
#include <stdint.h>

typedef struct {
    PyObject *entry; /* strong reference to the (schema id, spec) tuple, or NULL */
    int32_t tid, sid;
    PyObject *spec; /* borrowed from entry; NULL: the entry is unusable */
} Last;

typedef PyObject *(*ObjectValueFn)(const unsigned char *b, Py_ssize_t blen, Py_ssize_t p,
                                   PyObject *specs, Last *last, Py_ssize_t *end);

#define OBJECTS_API_CAPSULE "ignite_wire._protocol._objects_accel._object_value"

#endif
