/* Fast path of the loader: libyaml events straight to plain values and packed source spans.
 *
 * checker/source/yaml_tree.py composes nodes with ruamel.yaml's C parser and builds values from them in
 * Python; on 100,000 schedule cells that is 6.5 s, of which libyaml itself takes 0.35 s. This
 * module drives the same libyaml (the sources ruamel.yaml.clib ships, vendored in third_party/)
 * and builds the same values, spans and key spans in C.
 *
 * It handles only the common case: one document of mappings, sequences and untagged scalars,
 * without anchors, aliases, tags, complex keys or duplicate keys, within the depth and size limits.
 * Anything else -- including every syntax error -- returns None, and the caller runs the Python
 * builder, which produces the exact values or the exact error message. So this file never decides
 * what an error says, and a bug here can only cost speed if it returns None too often.
 *
 * build(text, max_depth, max_nodes, max_events, want_key_spans, plain_cache, resolve_plain, key_cache, resolve_key, fallback)
 *   -> (value, spans, key_spans or None unless want_key_spans) or None
 *
 * max_nodes bounds the values built (as _Builder counts them); max_events bounds the scalars and
 * collections seen, keys included (as yaml_tree._count_values counts them before composing a large file).
 *
 * plain_cache / key_cache: dicts from a plain scalar's text to its value / canonical key string,
 * filled by the callbacks resolve_plain / resolve_key on a miss; a callback returns `fallback` for
 * a scalar the fast path must not handle (a merge key, a tag the resolver maps outside the plain
 * types, a value its constructor rejects).
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>
#include "yaml.h"

typedef struct {
    PyObject *container; /* borrowed: the list or dict being filled (owned by its parent or the root) */
    PyObject *path;      /* owned: this container's path tuple */
    PyObject *key;       /* owned: the pending mapping key, NULL while a key is expected */
    PyObject *key_path;  /* owned: path + key, the pending value's path (made once for both maps) */
    Py_ssize_t index;    /* next sequence index */
    yaml_mark_t start;   /* where the container opened: its span is recorded when it closes */
    int is_map;
} Frame;

typedef struct {
    PyObject *plain_cache, *resolve_plain, *key_cache, *resolve_key, *fallback;
    PyObject *spans, *key_spans;
    Frame *frames;
    int depth, max_depth;
    Py_ssize_t count, max_nodes;
    Py_ssize_t events, max_events; /* keys included, as yaml_tree._count_values counts them */
} Builder;

enum { OK = 0, FALLBACK = 1, ERROR = -1 };

/* Four 1-based positions in one int, 32 bits each (checker.source.yaml_tree.pack_span). */
static PyObject *pack_span(yaml_mark_t start, yaml_mark_t end) {
    uint32_t parts[4] = {(uint32_t)(end.column + 1), (uint32_t)(end.line + 1),
                         (uint32_t)(start.column + 1), (uint32_t)(start.line + 1)};
    unsigned char buf[16];
    for (int i = 0; i < 4; i++) {
        for (int b = 0; b < 4; b++) buf[i * 4 + b] = (unsigned char)(parts[i] >> (8 * b));
    }
#if PY_VERSION_HEX >= 0x030D0000
    return PyLong_FromUnsignedNativeBytes(buf, 16, Py_ASNATIVEBYTES_LITTLE_ENDIAN);
#else
    return _PyLong_FromByteArray(buf, 16, 1, 0);
#endif
}

static PyObject *extend_path(PyObject *path, PyObject *part) {
    Py_ssize_t n = PyTuple_GET_SIZE(path);
    PyObject *out = PyTuple_New(n + 1);
    if (out == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyTuple_GET_ITEM(path, i);
        Py_INCREF(item);
        PyTuple_SET_ITEM(out, i, item);
    }
    Py_INCREF(part);
    PyTuple_SET_ITEM(out, n, part);
    return out;
}

/* A cached plain scalar, or the callback's answer (which it caches itself). New reference. */
static PyObject *through_cache(PyObject *cache, PyObject *callback, PyObject *text) {
    PyObject *hit = PyDict_GetItemWithError(cache, text);
    if (hit != NULL) {
        Py_INCREF(hit);
        return hit;
    }
    if (PyErr_Occurred()) return NULL;
    return PyObject_CallOneArg(callback, text);
}

static int is_plain(const yaml_event_t *ev) {
    return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && ev->data.scalar.plain_implicit;
}

/* The path of the value about to be added to the innermost container (new reference). */
static PyObject *child_path(Frame *top) {
    if (top->is_map) {
        Py_INCREF(top->key_path);
        return top->key_path;
    }
    PyObject *index = PyLong_FromSsize_t(top->index);
    if (index == NULL) return NULL;
    PyObject *path = extend_path(top->path, index);
    Py_DECREF(index);
    return path;
}

/* Put a finished or newly opened value into the innermost container. Steals nothing. */
static int attach(Builder *b, PyObject *value) {
    Frame *top = &b->frames[b->depth - 1];
    if (top->is_map) {
        int rc = PyDict_SetItem(top->container, top->key, value);
        Py_CLEAR(top->key);
        Py_CLEAR(top->key_path);
        return rc;
    }
    top->index++;
    return PyList_Append(top->container, value);
}

/* A mapping key: a plain or quoted scalar, not seen before in this mapping. */
static int take_key(Builder *b, const yaml_event_t *ev) {
    Frame *top = &b->frames[b->depth - 1];
    if (ev->type != YAML_SCALAR_EVENT || ev->data.scalar.tag != NULL || ev->data.scalar.anchor != NULL)
        return FALLBACK;
    PyObject *text = PyUnicode_DecodeUTF8((const char *)ev->data.scalar.value,
                                          (Py_ssize_t)ev->data.scalar.length, "strict");
    if (text == NULL) return ERROR;
    PyObject *key;
    if (is_plain(ev)) {
        key = through_cache(b->key_cache, b->resolve_key, text);
        Py_DECREF(text);
        if (key == NULL) return ERROR;
        if (key == b->fallback) {
            Py_DECREF(key);
            return FALLBACK;
        }
    } else {
        key = text; /* quoted keys are always strings */
    }
    int seen = PyDict_Contains(top->container, key);
    if (seen != 0) { /* a duplicate: the Python builder words the error */
        Py_DECREF(key);
        return seen < 0 ? ERROR : FALLBACK;
    }
    PyObject *key_path = extend_path(top->path, key);
    if (key_path == NULL) {
        Py_DECREF(key);
        return ERROR;
    }
    if (b->key_spans != NULL) { /* asked for only when suppression comments or an error need them */
        PyObject *span = pack_span(ev->start_mark, ev->end_mark);
        int rc = span ? PyDict_SetItem(b->key_spans, key_path, span) : -1;
        Py_XDECREF(span);
        if (rc < 0) {
            Py_DECREF(key);
            Py_DECREF(key_path);
            return ERROR;
        }
    }
    top->key_path = key_path;
    top->key = key;
    return OK;
}

/* Count a value against the limits; over either one, the Python builder reports it. */
static int count_value(Builder *b) {
    b->count++;
    if (b->count > b->max_nodes || b->depth > b->max_depth) return FALLBACK;
    return OK;
}

static int scalar_value(Builder *b, const yaml_event_t *ev, PyObject **out) {
    if (ev->data.scalar.tag != NULL || ev->data.scalar.anchor != NULL) return FALLBACK;
    PyObject *text = PyUnicode_DecodeUTF8((const char *)ev->data.scalar.value,
                                          (Py_ssize_t)ev->data.scalar.length, "strict");
    if (text == NULL) return ERROR;
    /* Only a plain scalar is resolved, and the resolver keys on the first character: a value that
       starts outside ASCII is a string (yaml_tree checks the resolver table agrees at import). */
    if (!is_plain(ev) || (ev->data.scalar.length > 0 && ev->data.scalar.value[0] >= 0x80)) {
        *out = text;
        return OK;
    }
    PyObject *value = through_cache(b->plain_cache, b->resolve_plain, text);
    Py_DECREF(text);
    if (value == NULL) return ERROR;
    if (value == b->fallback) {
        Py_DECREF(value);
        return FALLBACK;
    }
    *out = value;
    return OK;
}

static int record_span(Builder *b, PyObject *path, yaml_mark_t start, yaml_mark_t end) {
    PyObject *span = pack_span(start, end);
    if (span == NULL) return ERROR;
    int rc = PyDict_SetItem(b->spans, path, span);
    Py_DECREF(span);
    return rc < 0 ? ERROR : OK;
}

/* One event after the stream and document start. Sets *root when the root value is complete. */
static int on_event(Builder *b, const yaml_event_t *ev, PyObject **root) {
    Frame *top = b->depth ? &b->frames[b->depth - 1] : NULL;
    if (top && top->is_map && top->key == NULL) {
        if (ev->type == YAML_MAPPING_END_EVENT) goto close;
        return take_key(b, ev);
    }
    if (ev->type == YAML_SEQUENCE_END_EVENT) goto close;
    if (ev->type != YAML_SCALAR_EVENT && ev->type != YAML_SEQUENCE_START_EVENT &&
        ev->type != YAML_MAPPING_START_EVENT)
        return FALLBACK; /* an alias, or anything unexpected */
    if (count_value(b) != OK) return FALLBACK;

    PyObject *path = top ? child_path(top) : PyTuple_New(0);
    if (path == NULL) return ERROR;

    if (ev->type == YAML_SCALAR_EVENT) {
        PyObject *value = NULL;
        int rc = scalar_value(b, ev, &value);
        if (rc == OK) rc = record_span(b, path, ev->start_mark, ev->end_mark);
        Py_DECREF(path);
        if (rc == OK) {
            if (top) {
                rc = attach(b, value) < 0 ? ERROR : OK;
                Py_DECREF(value);
            } else {
                *root = value;
            }
        } else {
            Py_XDECREF(value);
        }
        return rc;
    }

    int is_map = ev->type == YAML_MAPPING_START_EVENT;
    const yaml_char_t *tag = is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
    const yaml_char_t *anchor = is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    if (tag != NULL || anchor != NULL) {
        Py_DECREF(path);
        return FALLBACK;
    }
    PyObject *container = is_map ? PyDict_New() : PyList_New(0);
    /* The span is set again when the container closes; inserting it now keeps the map in document
       order, as the Python builder makes it. */
    if (container == NULL || PyDict_SetItem(b->spans, path, Py_None) < 0) {
        Py_XDECREF(container);
        Py_DECREF(path);
        return ERROR;
    }
    if (top) {
        int rc = attach(b, container);
        Py_DECREF(container); /* the parent holds it */
        if (rc < 0) {
            Py_DECREF(path);
            return ERROR;
        }
    } else {
        *root = container; /* the caller owns the root; it is not complete until its frame closes */
    }
    Frame *f = &b->frames[b->depth++];
    f->container = container;
    f->path = path;
    f->key = NULL;
    f->key_path = NULL;
    f->index = 0;
    f->is_map = is_map;
    f->start = ev->start_mark;
    return OK;

close: {
        Frame *f = &b->frames[b->depth - 1];
        int rc = record_span(b, f->path, f->start, ev->end_mark);
        Py_CLEAR(f->path);
        Py_CLEAR(f->key);
        Py_CLEAR(f->key_path);
        b->depth--;
        return rc;
    }
}

static void builder_clear(Builder *b) {
    for (int i = 0; i < b->depth; i++) {
        Py_CLEAR(b->frames[i].path);
        Py_CLEAR(b->frames[i].key);
        Py_CLEAR(b->frames[i].key_path);
    }
    b->depth = 0;
    Py_CLEAR(b->spans);
    Py_CLEAR(b->key_spans);
    PyMem_Free(b->frames);
    b->frames = NULL;
}

static PyObject *build(PyObject *self, PyObject *args) {
    PyObject *text;
    int want_key_spans;
    Builder b;
    memset(&b, 0, sizeof b);
    if (!PyArg_ParseTuple(args, "UinnpO!OO!OO", &text, &b.max_depth, &b.max_nodes, &b.max_events, &want_key_spans, &PyDict_Type, &b.plain_cache,
                          &b.resolve_plain, &PyDict_Type, &b.key_cache, &b.resolve_key, &b.fallback))
        return NULL;
    if (b.max_depth < 0 || b.max_depth > 100000) Py_RETURN_NONE;
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(text, &size);
    if (utf8 == NULL) { /* lone surrogates: let the Python path say what is wrong */
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    b.frames = PyMem_Calloc((size_t)b.max_depth + 2, sizeof(Frame));
    b.spans = PyDict_New();
    b.key_spans = want_key_spans ? PyDict_New() : NULL;
    if (b.frames == NULL || b.spans == NULL || (want_key_spans && b.key_spans == NULL)) {
        builder_clear(&b);
        return PyErr_NoMemory();
    }

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        builder_clear(&b);
        return PyErr_NoMemory();
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)utf8, (size_t)size);

    PyObject *root = NULL;
    int rc = OK, stage = 0; /* 0: before the document, 1: in it, 2: after its root, 3: done */
    while (rc == OK && stage < 3) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = FALLBACK; /* a syntax error: the Python path reports it */
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_START_EVENT:
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (stage != 0) rc = FALLBACK; /* a second document */
            stage = 1;
            break;
        case YAML_DOCUMENT_END_EVENT:
            if (stage != 2) rc = FALLBACK;
            break;
        case YAML_STREAM_END_EVENT:
            if (stage != 2) rc = FALLBACK; /* no document at all */
            stage = 3;
            break;
        default:
            if (ev.type != YAML_MAPPING_END_EVENT && ev.type != YAML_SEQUENCE_END_EVENT &&
                ++b.events > b.max_events)
                rc = FALLBACK;
            if (rc != OK || stage != 1) {
                rc = FALLBACK;
                break;
            }
            rc = on_event(&b, &ev, &root);
            if (rc == OK && root != NULL && b.depth == 0) stage = 2;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);

    if (rc != OK) {
        Py_XDECREF(root);
        builder_clear(&b);
        if (rc == ERROR) return NULL;
        Py_RETURN_NONE;
    }
    if (b.key_spans == NULL) {
        b.key_spans = Py_None;
        Py_INCREF(Py_None);
    }
    PyObject *result = Py_BuildValue("(NNN)", root, b.spans, b.key_spans);
    b.spans = b.key_spans = NULL; /* now owned by the result */
    builder_clear(&b);
    return result;
}

static PyMethodDef methods[] = {
    {"build", build, METH_VARARGS,
     "build(text, max_depth, max_nodes, max_events, want_key_spans, plain_cache, resolve_plain, key_cache, resolve_key, fallback)"
     " -> (value, spans, key_spans) or None when the Python builder must handle the text"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fastyaml",
                                    "libyaml events to plain values and packed spans (the loader's fast path).",
                                    -1, methods};

PyMODINIT_FUNC PyInit__fastyaml(void) { return PyModule_Create(&module); }
