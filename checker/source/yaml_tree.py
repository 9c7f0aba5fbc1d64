"""YAML text → plain values and a source map (path → 1-based span), within limits that stop hostile files.

The common case is built in C from libyaml's events (checker.source.yaml_fast). Everything else comes here:
nodes are composed by ruamel.yaml's C parser (libyaml) when it is available, which keeps exact
line/column marks and is about ten times faster than the round-trip loader; the values are then
built here, which is what lets a file with duplicate keys, explicit tags (``!!python/object``), an
alias bomb or absurd nesting be refused with a file:line message instead of a traceback.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from ruamel.yaml.error import MantissaNoDotYAML1_1Warning, YAMLError
from ruamel.yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from checker.source.inputs import DEFAULT_LIMITS, Limits

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

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_STR, _SEQ, _MAP = _STD + "str", _STD + "seq", _STD + "map"
_VALUE_EVENTS = (ScalarEvent, SequenceStartEvent, MappingStartEvent, AliasEvent)

class Span(NamedTuple):
    """A 1-based, inclusive-start / exclusive-end region of a file.

    A named tuple rather than a frozen dataclass: one is made per YAML node, and a tuple is built
    about five times faster, which is a tenth of the load time of a large corpus.
    """

    line: int
    column: int
    end_line: int
    end_column: int


_FIELD = 32
_MASK = (1 << _FIELD) - 1


def pack_span(line: int, column: int, end_line: int, end_column: int) -> int:
    """Four 1-based positions in one int (32 bits each): a third of the memory of a Span and its ints."""
    return (((line << _FIELD | column) << _FIELD | end_line) << _FIELD) | end_column


def unpack_span(packed: int) -> Span:
    return Span(packed >> 3 * _FIELD, packed >> 2 * _FIELD & _MASK, packed >> _FIELD & _MASK, packed & _MASK)


class SpanMap(Mapping[PathKey, Span]):
    """Path → Span, stored packed (see pack_span): a source map holds one entry per YAML value, and on
    100,000 schedule cells the named tuples alone took 300 MB."""

    __slots__ = ("raw",)

    def __init__(self, raw: dict[PathKey, int] | None = None):
        self.raw: dict[PathKey, int] = raw if raw is not None else {}

    def __getitem__(self, path: PathKey) -> Span:
        return unpack_span(self.raw[path])

    def get(self, path: PathKey, default: Any = None) -> Any:
        packed = self.raw.get(path)
        return default if packed is None else unpack_span(packed)

    def __contains__(self, path: object) -> bool:
        return path in self.raw

    def __iter__(self) -> Iterator[PathKey]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (SpanMap, (self.raw,))


class _BuildError(Exception):
    def __init__(self, node: Node | None, message: str, code: str):
        super().__init__(message)
        self.node, self.message, self.code = node, message, code


class _Builder:
    """Turns a composed node tree into plain values, recording spans and enforcing limits."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.count = 0
        self.spans = SpanMap()
        self.key_spans = SpanMap()
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
        self.spans.raw[path] = pack_span(s.line + 1, s.column + 1, e.line + 1, e.column + 1)
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
                key_spans.raw[key_path] = pack_span(ks.line + 1, ks.column + 1, ke.line + 1, ke.column + 1)
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


def compose_text(text: str, file: str, limits: Limits = DEFAULT_LIMITS, key_spans: bool = True
                 ) -> tuple[Any, Any]:
    """Parse YAML text into plain values; raises _BuildError with a node or mark on failure.

    The second item has the source maps (`spans`, `key_spans`): a _Builder, or a yaml_fast.Built from the
    C fast path. key_spans=False lets the fast path skip the map of where each key is written (a third
    of its work), which only suppression comments and error messages read; key_spans is then None.
    """
    if len(text) > limits.max_line_chars:  # only then can a line be too long: skip the scan otherwise
        number = _first_long_line(text, limits.max_line_chars)
        if number is not None:
            raise _BuildError(None, f"line {number} is longer than {limits.max_line_chars} characters",
                              "too-large")
    from checker.source import yaml_fast  # it builds on this module

    fast = yaml_fast.build(text, limits, key_spans)
    if fast is not None:
        return fast
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
