"""YAML files → validated models plus a source map from value paths to 1-based line/column spans.

The loader composes YAML nodes with ruamel.yaml's C parser (libyaml) when it is available, which
keeps exact line/column marks and is about ten times faster than the round-trip loader, then
builds plain Python values itself. Building the values ourselves is what lets it refuse duplicate
keys, non-standard tags (``!!python/object``), alias bombs and absurd nesting with a file:line
message instead of a traceback.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import warnings
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError
from ruamel.yaml.error import MantissaNoDotYAML1_1Warning, MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from checker.encoding import DecodeFailure, decode_bytes
from checker.model import MODEL_BY_KIND
from checker.schema_errors import describe_validation_error

try:  # the C parser; the pure-Python one is the fallback (PyPy, missing wheel)
    from ruamel.yaml.cyaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - exercised only without ruamel.yaml.clib
    from ruamel.yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader with a short cut in tag resolution, which the C parser calls once per node.

    Quoted scalars, sequences and mappings always get the default tag (we register no path
    resolvers); only plain scalars need the implicit resolvers' regular expressions.
    """

    _plain: dict[tuple[str, bool], Any] = {}
    """Tags of plain scalars already resolved (keys such as `text:` repeat thousands of times)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode:
            if not implicit[0]:
                return self.DEFAULT_SCALAR_TAG
            key = (value, implicit[1])
            tag = self._plain.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 64 and len(self._plain) < 50_000:  # bounded, whatever the input
                    self._plain[key] = tag
            return tag
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG

# ruamel warns on stderr about floats such as 1e5 (no dot); the value is read all the same, and
# stderr is for our own messages, not a library's advice.
warnings.filterwarnings("ignore", category=MantissaNoDotYAML1_1Warning)

PathKey = tuple[str | int, ...]

YAML_SUFFIXES = (".yaml", ".yml")
_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_STR, _SEQ, _MAP = _STD + "str", _STD + "seq", _STD + "map"
_VALUE_EVENTS = (ScalarEvent, SequenceStartEvent, MappingStartEvent, AliasEvent)


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile file from costing unbounded time or memory (all configurable)."""

    max_bytes: int = 20 * 1024 * 1024
    """Largest file read. The biggest real document is a few hundred KiB; 20 MiB leaves 50x room."""
    max_depth: int = 64
    """Deepest nesting of mappings and lists. Real documents nest 7 levels."""
    max_nodes: int = 250_000
    """Most values one file may hold or expand to, aliases included: stops "billion laughs" before building.
    The largest real document has about 2,000 values, the largest benchmark file about 110,000; 250,000
    keeps the worst file under max_bytes near 5 s and 350 MB."""
    max_line_chars: int = 1_000_000
    """Longest line accepted (characters)."""


DEFAULT_LIMITS = Limits()


class Span(NamedTuple):
    """A 1-based, inclusive-start / exclusive-end region of a file.

    A named tuple rather than a frozen dataclass: one is made per YAML node, and a tuple is built
    about five times faster, which is a tenth of the load time of a large corpus.
    """

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class InputError:
    """A file that could not be read, parsed or validated, with where and why."""

    file: str
    line: int
    column: int
    message: str
    code: str
    """Short machine-readable reason: encoding, yaml-syntax, duplicate-key, schema, too-large, …"""


@dataclass(frozen=True)
class LoadedDocument:
    """One validated document and everything the engine needs to point back into its file."""

    file: str
    model: Any
    spans: dict[PathKey, Span] = field(repr=False, compare=False)
    key_spans: dict[PathKey, Span] = field(repr=False, compare=False)
    lines: tuple[str, ...] = field(repr=False, compare=False)
    digest: str = ""

    @property
    def id(self) -> str:
        return self.model.document.id

    @property
    def kind(self) -> str:
        return self.model.document.kind

    def span(self, path: PathKey) -> Span:
        """The span of `path`, or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            s = self.spans.get(p)
            if s is not None:
                return s
            p = p[:-1]
        return self.spans.get((), Span(1, 1, 1, 1))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Pickled (for the cache) with the spans as flat arrays of ints: pickling a million named
        # tuples one by one cost four times as long as the rest of the document.
        return (_rebuild_document, (self.file, self.model, *_pack(self.spans), *_pack(self.key_spans),
                                    self.lines, self.digest))


def _pack(spans: dict[PathKey, Span]) -> tuple[tuple[PathKey, ...], array]:
    return tuple(spans), array("L", [n for s in spans.values() for n in s])


def _unpack(keys: tuple[PathKey, ...], values: array) -> dict[PathKey, Span]:
    it = iter(values)
    return {k: Span(*t) for k, t in zip(keys, zip(it, it, it, it, strict=True), strict=True)}


def _rebuild_document(file: str, model: Any, span_keys: tuple[PathKey, ...], span_values: array,
                      key_keys: tuple[PathKey, ...], key_values: array, lines: tuple[str, ...], digest: str
                      ) -> LoadedDocument:
    return LoadedDocument(file, model, _unpack(span_keys, span_values), _unpack(key_keys, key_values), lines,
                          digest)


@dataclass
class LoadResult:
    documents: list[LoadedDocument]
    errors: list[InputError]
    skipped: list[str] = field(default_factory=list)


class _BuildError(Exception):
    def __init__(self, node: Node | None, message: str, code: str):
        super().__init__(message)
        self.node, self.message, self.code = node, message, code


def _span(node: Node) -> Span:
    s, e = node.start_mark, node.end_mark
    return Span(s.line + 1, s.column + 1, e.line + 1, e.column + 1)


class _Builder:
    """Turns a composed node tree into plain values, recording spans and enforcing limits."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.count = 0
        self.spans: dict[PathKey, Span] = {}
        self.key_spans: dict[PathKey, Span] = {}
        self._scalar = _Loader("")  # only its scalar constructors are used
        self._tags: dict[int, str] = {}  # id(Tag) → str; the node tree keeps every Tag alive meanwhile

    def tag_of(self, node: Node) -> str:
        ctag = node.ctag  # `node.tag` formats the Tag object on every read: memoise by identity
        tag = self._tags.get(id(ctag))
        if tag is None:
            tag = self._tags[id(ctag)] = node.tag
        return tag

    def build(self, node: Node, path: PathKey = (), depth: int = 0) -> Any:
        self.count += 1
        if self.count > self.limits.max_nodes:
            raise _BuildError(node, f"more than {self.limits.max_nodes} values (alias expansion?)", "too-large")
        if depth > self.limits.max_depth:
            raise _BuildError(node, f"nesting deeper than {self.limits.max_depth} levels", "too-deep")
        s, e = node.start_mark, node.end_mark
        self.spans[path] = Span(s.line + 1, s.column + 1, e.line + 1, e.column + 1)
        tag = self.tag_of(node)
        cls = type(node)
        if cls is ScalarNode:
            return node.value if tag == _STR else self._build_scalar(node, tag)
        if cls is SequenceNode:
            if tag != _SEQ:
                raise _tag_error(node, tag)
            depth += 1
            return [self.build(item, (*path, i), depth) for i, item in enumerate(node.value)]
        if cls is MappingNode:
            if tag != _MAP:
                raise _tag_error(node, tag)
            out: dict[str, Any] = {}
            key_spans = self.key_spans
            depth += 1
            for key_node, value_node in node.value:
                if type(key_node) is not ScalarNode:
                    raise _BuildError(key_node, "a mapping key must be a plain scalar", "yaml-structure")
                key_tag = self.tag_of(key_node)
                if key_tag == _STD + "merge":
                    raise _BuildError(key_node, "merge keys (<<) are not supported", "yaml-structure")
                if key_tag not in _SCALAR_TAGS:
                    raise _tag_error(key_node, key_tag)
                key = str(key_node.value)
                key_path = (*path, key)
                if key in out:
                    first = key_spans[key_path]
                    raise _BuildError(key_node, f"duplicate key {key!r} (first defined on line {first.line})",
                                      "duplicate-key")
                ks, ke = key_node.start_mark, key_node.end_mark
                key_spans[key_path] = Span(ks.line + 1, ks.column + 1, ke.line + 1, ke.column + 1)
                out[key] = self.build(value_node, key_path, depth)
            return out
        raise _BuildError(node, "unsupported YAML node", "yaml-structure")  # pragma: no cover

    def _build_scalar(self, node: ScalarNode, tag: str) -> Any:
        if tag not in _SCALAR_TAGS:
            raise _tag_error(node, tag)
        if tag == _STR:
            return node.value
        try:
            value = self._scalar.construct_object(node, deep=False)
        except (YAMLError, ValueError, OverflowError) as exc:
            raise _BuildError(node, f"bad {tag.rsplit(':', 1)[-1]} value {node.value!r}: {exc}",
                              "yaml-value") from None
        if isinstance(value, dt.datetime):
            return value.date() if value.time() == dt.time() else value
        return value


def _tag_error(node: Node, tag: str) -> _BuildError:
    """Refuse an explicit tag (!!python/object:…, !!binary, !include, …), named as the file wrote it."""
    shown = "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag
    return _BuildError(node, f"YAML tag {shown} is not allowed: rules and data are plain values and never "
                       "construct objects (remove the tag)", "tag")


def compose_text(text: str, file: str, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, _Builder]:
    """Parse YAML text into plain values; raises _BuildError with a node or mark on failure."""
    if len(text) > limits.max_line_chars:  # only then can a line be too long: skip the scan otherwise
        number = _first_long_line(text, limits.max_line_chars)
        if number is not None:
            raise _BuildError(None, f"line {number} is longer than {limits.max_line_chars} characters",
                              "too-large")
    # A value takes at least one character ("{a,b}" holds four values in five), so smaller files pass.
    if len(text) >= limits.max_nodes:
        _count_values(text, limits)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    builder = _Builder(limits)
    if node is None:
        raise _BuildError(None, "the file holds no YAML document (empty, or only comments)", "empty")
    if "&" in text:  # without an anchor there is no alias, so nothing can expand: skip the walk
        _check_expanded_size(node, limits)
    return builder.build(node), builder


def _first_long_line(text: str, limit: int) -> int | None:
    """The number of the first line longer than `limit` characters (without copying the text line by line)."""
    start, number, size = 0, 1, len(text)
    while start <= size:
        end = text.find("\n", start)
        if end < 0:
            end = size
        if end - start > limit:
            return number
        start, number = end + 1, number + 1
    return None


def _count_values(text: str, limits: Limits) -> None:
    """Refuse a file of more than max_nodes values before composing it.

    Composing keeps every node (about 300 bytes each) before the builder can count them, so a 6 MB list
    of one-character items would cost a second of parsing per million values and gigabytes of memory
    only to be refused. Parser events are dropped as they come: counting them costs time, not memory.
    """
    loader = _Loader(text)
    try:
        count = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _VALUE_EVENTS):
                count += 1
                if count > limits.max_nodes:
                    # An event carries a start_mark like a node, which is all the error needs.
                    raise _BuildError(event, f"the file holds more than {limits.max_nodes:,} values; "
                                      "a roadmap document has a few thousand", "too-large")
    finally:
        loader.dispose()


def _check_expanded_size(root: Node, limits: Limits) -> None:
    """Refuse a tree whose aliases would expand past max_nodes, in time linear in the unique nodes."""
    sizes: dict[int, int] = {}
    # Post-order walk without recursion: aliases make the tree a DAG, so sizes are memoised by identity.
    # An alias inside its own anchor (`a: &a [*a]`) makes a cycle instead; `open_` holds the nodes whose
    # children are still being sized, so meeting one again is that cycle, not a loop forever.
    open_: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, ScalarNode):
            sizes[id(node)] = 1
            continue
        children = [v for pair in node.value for v in pair] if isinstance(node, MappingNode) else node.value
        if not children_done:
            if id(node) in open_:
                raise _BuildError(node, "an alias refers to its own anchor (a recursive structure)", "yaml-structure")
            open_.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        open_.discard(id(node))
        total = 1 + sum(sizes.get(id(c), 1) for c in children)
        if total > limits.max_nodes:
            raise _BuildError(node, f"the document expands to more than {limits.max_nodes:,} values "
                              "(anchors and aliases: a \"billion laughs\" file?)", "too-large")
        sizes[id(node)] = total


def _error_from_build(file: str, exc: _BuildError) -> InputError:
    if exc.node is not None:
        mark = exc.node.start_mark
        return InputError(file, mark.line + 1, mark.column + 1, exc.message, exc.code)
    line = 1
    if exc.code == "too-large" and exc.message.startswith("line "):
        line = int(exc.message.split()[1])
    return InputError(file, line, 1, exc.message, exc.code)


def _error_from_yaml(file: str, exc: YAMLError, source: str = "") -> InputError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    text = f"{context}: {problem}" if context and isinstance(exc, MarkedYAMLError) else str(problem)
    if "expected a single document" in str(exc):
        text = "several YAML documents in one file; put each document in its own file"
    if mark is not None and source and "cannot start any token" in text:
        # libyaml's words for a tab where indentation is expected, the commonest hand-editing slip.
        lines = source.splitlines()
        if mark.line < len(lines) and lines[mark.line][mark.column:mark.column + 1] == "\t":
            text += " (a tab: YAML indents with spaces only, and a tab may not start a comment line either)"
    if mark is None:
        return InputError(file, 1, 1, f"YAML error: {text}", "yaml-syntax")
    return InputError(file, mark.line + 1, mark.column + 1, f"YAML error: {text}", "yaml-syntax")


def validate(data: Any, file: str, builder: _Builder, lines: tuple[str, ...], digest: str
             ) -> LoadedDocument | list[InputError]:
    """Validate plain values against the model for their declared kind."""
    if not isinstance(data, dict):
        span = builder.spans.get((), Span(1, 1, 1, 1))
        return [InputError(file, span.line, span.column,
                           "a document must be a mapping with `document:` and `reform_items:`", "schema")]
    header = data.get("document")
    kind = header.get("kind") if isinstance(header, dict) else None
    model_cls: type[BaseModel] | None = MODEL_BY_KIND.get(kind) if isinstance(kind, str) else None
    if model_cls is None:
        where = ("document", "kind") if isinstance(header, dict) else ("document",)
        span = builder.spans.get(where) or builder.spans.get(("document",)) or Span(1, 1, 1, 1)
        return [InputError(file, span.line, span.column,
                           f"document.kind must be one of {', '.join(MODEL_BY_KIND)} (got {kind!r})", "schema")]
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        return [InputError(file, *where, message, "schema")
                for where, message in describe_validation_error(exc, model_cls, builder.spans, builder.key_spans)]
    return LoadedDocument(file, model, builder.spans, builder.key_spans, lines, digest)


def load_bytes(raw: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> LoadedDocument | list[InputError]:
    """Decode, parse and validate one file's bytes. Never raises for bad input."""
    if len(raw) > limits.max_bytes:
        return [InputError(file, 1, 1, f"file is {len(raw):,} bytes, over the limit of {limits.max_bytes:,} "
                           "(raise it with --max-file-size)", "too-large")]
    decoded = decode_bytes(raw)
    if isinstance(decoded, DecodeFailure):
        return [InputError(file, decoded.line, decoded.column, decoded.message, "encoding")]
    digest = hashlib.sha256(raw).hexdigest()
    return load_text(decoded, file, limits, digest)


def load_text(text: str, file: str, limits: Limits = DEFAULT_LIMITS, digest: str = ""
              ) -> LoadedDocument | list[InputError]:
    """Parse and validate decoded text."""
    try:
        data, builder = compose_text(text, file, limits)
    except _BuildError as exc:
        return [_error_from_build(file, exc)]
    except YAMLError as exc:
        return [_error_from_yaml(file, exc, text)]
    except RecursionError:  # pragma: no cover - the depth limit normally fires first
        return [InputError(file, 1, 1, "nesting too deep", "too-deep")]
    return validate(data, file, builder, tuple(text.splitlines()), digest or hashlib.sha256(
        text.encode("utf-8", "surrogatepass")).hexdigest())


def read_bounded(path: Path, name: str, limits: Limits) -> bytes | list[InputError]:
    """A file's bytes, or an InputError when it is too large (checked before reading) or unreadable."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            return [InputError(name, 1, 1, f"file is {size:,} bytes, over the limit of {limits.max_bytes:,} "
                               "(raise it with --max-file-size)", "too-large")]
        return path.read_bytes()
    except OSError as exc:
        return [InputError(name, 1, 1, f"cannot read file: {exc.strerror or exc}", "unreadable")]


def load_file(path: Path, display: str | None = None, limits: Limits = DEFAULT_LIMITS
              ) -> LoadedDocument | list[InputError]:
    """Read one file from disk. Unreadable files become an InputError, never an exception."""
    name = display or str(path)
    raw = read_bounded(path, name, limits)
    return raw if isinstance(raw, list) else load_bytes(raw, name, limits)


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[InputError], list[str]]:
    """Expand files and directories into a sorted list of YAML files.

    Returns (files, errors for paths that do not exist or loop, non-YAML files skipped).
    """
    found: set[Path] = set()
    errors: list[InputError] = []
    skipped: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            seen_dirs: set[tuple[int, int]] = set()
            stack = [p]
            while stack:
                d = stack.pop()
                try:
                    st = d.stat()
                    if (st.st_dev, st.st_ino) in seen_dirs:
                        errors.append(InputError(str(d), 1, 1, "directory loop (symlink) skipped", "unreadable"))
                        continue
                    seen_dirs.add((st.st_dev, st.st_ino))
                    entries = sorted(d.iterdir())
                except OSError as exc:
                    errors.append(InputError(str(d), 1, 1, f"cannot read directory: {exc.strerror or exc}",
                                             "unreadable"))
                    continue
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    try:
                        is_dir = entry.is_dir()
                    except OSError as exc:
                        errors.append(InputError(str(entry), 1, 1, f"cannot read: {exc.strerror or exc}",
                                                 "unreadable"))
                        continue
                    if is_dir:
                        stack.append(entry)
                    elif entry.suffix.lower() in YAML_SUFFIXES:
                        found.add(entry)
                    else:
                        skipped.append(str(entry))
        elif p.exists() or p.is_symlink():
            found.add(p)
        else:
            errors.append(InputError(str(p), 1, 1, "no such file or directory", "missing"))
    return sorted(found, key=lambda q: q.as_posix()), errors, sorted(skipped)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many long-lived, acyclic objects.

    Each collection walks every live object, so on a large corpus the collector would run thousands
    of times over a growing heap: pausing it cuts a cold lint of 10,000 cells by about a quarter.
    Cycles made meanwhile are collected once it runs again.

    On the way out the survivors are frozen (moved out of the collector's generations): they are the
    corpus, needed until the run ends, and otherwise every later collection walks all of them again
    (seconds on 100,000 cells). Reference counting still frees them when they are dropped.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


def load_paths(paths: Iterable[str | Path], limits: Limits = DEFAULT_LIMITS, cache: Any = None) -> LoadResult:
    """Load every YAML file under `paths`; one bad file never stops the others.

    `cache` (a checker.cache.Cache) reuses documents loaded before from identical bytes.
    """
    files, errors, skipped = discover(paths)
    documents: list[LoadedDocument] = []
    with paused_gc():
        for f in files:
            if cache is None:
                result = load_file(f, f.as_posix(), limits)
            else:
                from checker.cache import load_file_cached  # the cache imports this module

                result = load_file_cached(f, f.as_posix(), limits, cache)
            if isinstance(result, LoadedDocument):
                documents.append(result)
            else:
                errors.extend(result)
    return LoadResult(documents, errors, skipped)
