"""YAML text → plain values and a source map (path → 1-based span), within limits that stop hostile files.

The common case is built in C from libyaml's events (checker.source.yaml_fast). Everything else comes here:
nodes are composed by ruamel.yaml's C parser (libyaml) when it is available, which keeps exact
line/column marks and is about ten times faster than the round-trip loader; the values are then
built here, which is what lets a file with duplicate keys, explicit tags (``!!python/object``), an
alias bomb or absurd nesting be refused with a file:line message instead of a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from checker.source import yaml_fast
from checker.source.inputs import DEFAULT_LIMITS, InputError, Limits
from checker.source.messages import plain_yaml_error
from checker.source.spans import PathKey, SpanMap, pack_span
from checker.source.yaml_resolve import MAP_TAG, SCALAR_TAGS, SEQ_TAG, STD_TAG, STR_TAG, TagLoader

_VALUE_EVENTS = (ScalarEvent, SequenceStartEvent, MappingStartEvent, AliasEvent)


class BuildError(Exception):
    """A file the builder refuses (limits, tags, duplicate keys), at a node or mark when there is one."""

    def __init__(self, node: Node | None, message: str, code: str):
        super().__init__(message)
        self.node, self.message, self.code = node, message, code


class Builder:
    """Turns a composed node tree into plain values, recording spans and enforcing limits."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.count = 0
        self.spans = SpanMap()
        self.key_spans = SpanMap()
        self._scalar = TagLoader("")  # only its scalar constructors are used
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
            raise BuildError(node, f"more than {self.limits.max_nodes} values (alias expansion?)", "too-large")
        if depth > self.limits.max_depth:
            raise BuildError(node, f"nesting deeper than {self.limits.max_depth} levels", "too-deep")
        s, e = node.start_mark, node.end_mark
        self.spans.raw[path] = pack_span(s.line + 1, s.column + 1, e.line + 1, e.column + 1)
        tag = self.tag_of(node)
        cls = type(node)
        if cls is ScalarNode:
            return node.value if tag == STR_TAG else self._build_scalar(node, tag)
        if cls is SequenceNode:
            if tag != SEQ_TAG:
                raise _tag_error(node, tag)
            depth += 1
            return [self.build(item, (*path, i), depth) for i, item in enumerate(node.value)]
        if cls is MappingNode:
            if tag != MAP_TAG:
                raise _tag_error(node, tag)
            out: dict[str, Any] = {}
            key_spans = self.key_spans
            depth += 1
            for key_node, value_node in node.value:
                if type(key_node) is not ScalarNode:
                    raise BuildError(key_node, "a mapping key must be a plain scalar", "yaml-structure")
                key_tag = self.tag_of(key_node)
                if key_tag == STD_TAG + "merge":
                    raise BuildError(key_node, "merge keys (<<) are not supported", "yaml-structure")
                if key_tag not in SCALAR_TAGS:
                    raise _tag_error(key_node, key_tag)
                key = str(key_node.value)
                key_path = (*path, key)
                if key in out:
                    first = key_spans[key_path]
                    raise BuildError(key_node, f"duplicate key {key!r} (first defined on line {first.line})",
                                      "duplicate-key")
                ks, ke = key_node.start_mark, key_node.end_mark
                key_spans.raw[key_path] = pack_span(ks.line + 1, ks.column + 1, ke.line + 1, ke.column + 1)
                out[key] = self.build(value_node, key_path, depth)
            return out
        raise BuildError(node, "unsupported YAML node", "yaml-structure")  # pragma: no cover

    def _build_scalar(self, node: ScalarNode, tag: str) -> Any:
        if tag not in SCALAR_TAGS:
            raise _tag_error(node, tag)
        if tag == STR_TAG:
            return node.value
        try:
            value = self._scalar.construct_object(node, deep=False)
        except (YAMLError, ValueError, OverflowError) as exc:
            raise BuildError(node, f"bad {tag.rsplit(':', 1)[-1]} value {node.value!r}: {exc}",
                              "yaml-value") from None
        if isinstance(value, dt.datetime):
            return value.date() if value.time() == dt.time() else value
        return value


def _tag_error(node: Node, tag: str) -> BuildError:
    """Refuse an explicit tag (!!python/object:…, !!binary, !include, …), named as the file wrote it."""
    shown = "!!" + tag[len(STD_TAG):] if tag.startswith(STD_TAG) else tag
    return BuildError(node, f"YAML tag {shown} is not allowed: rules and data are plain values and never "
                       "construct objects (remove the tag)", "tag")


def error_from_build(file: str, exc: BuildError) -> InputError:
    """The InputError for a file the builder refused."""
    if exc.node is not None:
        mark = exc.node.start_mark
        return InputError(file, mark.line + 1, mark.column + 1, exc.message, exc.code)
    line = 1
    if exc.code == "too-large" and exc.message.startswith("line "):
        line = int(exc.message.split()[1])
    return InputError(file, line, 1, exc.message, exc.code)


def error_from_yaml(file: str, exc: YAMLError, source: str = "") -> InputError:
    """The InputError for a YAML syntax error, in plain words for people who edit YAML by hand (a tab, a
    ':' in an unquoted text, a missing '-', indentation that does not line up), in Japanese and English;
    the parser's own words stay as the detail."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    text = f"{context}: {problem}" if context and isinstance(exc, MarkedYAMLError) else str(problem)
    if "expected a single document" in str(exc):
        en = "several YAML documents in one file; put each document in its own file"
        return InputError(file, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, en, "yaml-syntax",
                          "一つのファイルに複数のYAML文書がある。文書ごとにファイルを分ける")
    if mark is None:
        en, ja = plain_yaml_error(text, [], 0, 0)
        return InputError(file, 1, 1, f"YAML error: {en}", "yaml-syntax", f"YAMLの書式の誤り: {ja}")
    en, ja = plain_yaml_error(text, source.splitlines() if source else [], mark.line, mark.column)
    return InputError(file, mark.line + 1, mark.column + 1, f"YAML error: {en}", "yaml-syntax",
                      f"YAMLの書式の誤り: {ja}")


def compose_text(text: str, file: str, limits: Limits = DEFAULT_LIMITS, key_spans: bool = True
                 ) -> tuple[Any, Any]:
    """Parse YAML text into plain values; raises BuildError with a node or mark on failure.

    The second item has the source maps (`spans`, `key_spans`): a Builder, or a yaml_fast.Built from the
    C fast path. key_spans=False lets the fast path skip the map of where each key is written (a third
    of its work), which only suppression comments and error messages read; key_spans is then None.
    """
    if len(text) > limits.max_line_chars:  # only then can a line be too long: skip the scan otherwise
        number = _first_long_line(text, limits.max_line_chars)
        if number is not None:
            raise BuildError(None, f"line {number} is longer than {limits.max_line_chars} characters",
                              "too-large")
    fast = yaml_fast.build(text, limits, key_spans)
    if fast is not None:
        return fast
    # A value takes at least one character ("{a,b}" holds four values in five), so smaller files pass.
    if len(text) >= limits.max_nodes:
        _count_values(text, limits)
    loader = TagLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    builder = Builder(limits)
    if node is None:
        raise BuildError(None, "the file holds no YAML document (empty, or only comments)", "empty")
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
    loader = TagLoader(text)
    try:
        count = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _VALUE_EVENTS):
                count += 1
                if count > limits.max_nodes:
                    # An event carries a start_mark like a node, which is all the error needs.
                    raise BuildError(event, f"the file holds more than {limits.max_nodes:,} values; "
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
                raise BuildError(node, "an alias refers to its own anchor (a recursive structure)", "yaml-structure")
            open_.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        open_.discard(id(node))
        total = 1 + sum(sizes.get(id(c), 1) for c in children)
        if total > limits.max_nodes:
            raise BuildError(node, f"the document expands to more than {limits.max_nodes:,} values "
                              "(anchors and aliases: a \"billion laughs\" file?)", "too-large")
        sizes[id(node)] = total


def compose_side_file(path: Path, what: str) -> tuple[Any, Any] | list[InputError]:
    """Read and parse a file that sits beside the rules (a vocabulary): its values and source maps, or
    the file:line errors that say why not (reported as rule-file problems, like a rule file's)."""
    file = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [InputError(file, 1, 1, f"cannot read {what}: {exc}", "rule")]
    try:
        return compose_text(text, file, DEFAULT_LIMITS)
    except BuildError as exc:
        return [dataclasses.replace(error_from_build(file, exc), code="rule")]
    except YAMLError as exc:  # the same plain words (tab, missing '-', ':' in text) as a data file's
        return [dataclasses.replace(error_from_yaml(file, exc, text), code="rule")]
    except Exception as exc:  # never a traceback for a bad side file
        return [InputError(file, 1, 1, f"cannot parse {what}: {type(exc).__name__}: {exc}", "rule")]

