"""Cache entries as plain data (JSON), not pickles: reading an entry builds findings, it never runs code.

Four kinds of value go into the cache, each as `[tag, body]`:

* ``findings``: a tuple of Finding;
* ``group``: a group's GroupResult (checker.accel.groups): its findings and the ids its rules looked up;
* ``run``: a whole run's RunResult (findings, input errors, files, the rules' RuleInfo);
* ``summary``: a document's DocumentSummary (checker.accel.stub), its header validated again on reading;
* ``errors``: the InputErrors of a file that did not load;
* ``data``: any other value JSON holds as it is (lists, mappings of strings, numbers, text).

Findings repeat their strings (rule ids, titles, files, and on 100,000 cells 29,000 findings carry
14,000 distinct messages), so an entry holds each distinct string once, in a table, and findings as
rows of indexes into it. Anything unexpected on reading raises ValueError: the cache counts it a miss.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from checker.domain.findings import Finding, Location, Related, RuleInfo, Severity
from checker.engine.result import RunResult
from checker.source.inputs import InputError

_SEVERITY = {int(s): s for s in Severity}
_new = object.__new__


def _finding_rows(findings: Iterable[Finding]) -> tuple[list[str], list[list[Any]]]:
    """The table of distinct strings and one row of indexes per finding.

    The table is a dict's setdefault with the next index (its length, taken before the call adds the
    string), a C call per string rather than a Python one: 0.18 → 0.12 s of CPU on 29,000 findings.
    """
    index: dict[str, int] = {}
    put, size = index.setdefault, index.__len__
    rows = []
    for f in findings:
        loc = f.location
        related = [[put(r.file, size()), r.line, r.column, put(r.message, size()), put(r.message_ja, size())]
                   for r in f.related]
        rows.append([put(f.rule, size()), int(f.severity), put(f.message, size()), put(f.message_ja, size()),
                     put(loc.file, size()), loc.line, loc.column, loc.end_line, loc.end_column, put(loc.path, size()),
                     put(loc.document, size()), put(f.entity, size()), put(f.title, size()),
                     put(f.title_ja, size()), put(f.hint, size()), put(f.hint_ja, size()), f.suppressed,
                     f.fingerprint, related])
    return list(index), rows


def _findings(rows: Sequence[Any], strings: Sequence[str]) -> tuple[Finding, ...]:
    """Findings from their rows. Built the way pickle builds them (fields set in __dict__, no __init__):
    a frozen dataclass's __init__ sets each field through object.__setattr__, which took twice as long
    on 29,000 findings. The fingerprint comes along, so a report from the cache hashes nothing."""
    out = []
    for (rule, severity, message, message_ja, file, line, column, end_line, end_column, path, document, entity,
         title, title_ja, hint, hint_ja, suppressed, fingerprint, related) in rows:
        loc = _new(Location)
        loc.__dict__.update(file=strings[file], line=line, column=column, end_line=end_line, end_column=end_column,
                            path=strings[path], document=strings[document])
        f = _new(Finding)
        f.__dict__.update(
            rule=strings[rule], severity=_SEVERITY[severity], message=strings[message],
            message_ja=strings[message_ja], location=loc, entity=strings[entity],
            related=tuple(Related(strings[a], b, c, strings[d], strings[e]) for a, b, c, d, e in related)
            if related else (),
            title=strings[title], title_ja=strings[title_ja], hint=strings[hint], hint_ja=strings[hint_ja],
            suppressed=suppressed, fingerprint=fingerprint)
        out.append(f)
    return tuple(out)


def _errors(rows: Iterable[Any]) -> list[InputError]:
    return [InputError(str(row[0]), int(row[1]), int(row[2]), str(row[3]), str(row[4]),
                       str(row[5]) if len(row) > 5 else "", row[6] if len(row) > 6 else None) for row in rows]


def _error_rows(errors: Iterable[InputError]) -> list[list[Any]]:
    return [[e.file, e.line, e.column, e.message, e.code, e.message_ja, e.document_id] for e in errors]


def _rule_info(row: Sequence[Any]) -> RuleInfo:
    rule, severity, *texts = row
    return RuleInfo(rule, _SEVERITY[severity], *texts)


def _body(value: Any) -> list[Any] | None:
    from checker.accel.groups import GroupResult

    if isinstance(value, GroupResult):
        strings, rows = _finding_rows(value.findings)
        return ["group", [strings, rows, [list(pair) for pair in value.lookups]]]
    if isinstance(value, tuple) and all(isinstance(f, Finding) for f in value):
        return ["findings", list(_finding_rows(value))]
    if isinstance(value, RunResult):
        strings, rows = _finding_rows(value.findings)
        rules = [[r.id, int(r.severity), r.title, r.title_ja, r.rationale, r.hint, r.hint_ja] for r in value.rules]
        return ["run", [strings, rows, _error_rows(value.input_errors), list(value.skipped), list(value.files),
                        rules]]
    if isinstance(value, list) and all(isinstance(e, InputError) for e in value):
        return ["errors", _error_rows(value)]
    from checker.accel.stub import DocumentSummary

    if isinstance(value, DocumentSummary):
        return ["summary", [value.file, value.digest, value.header.model_dump(mode="json", exclude_unset=True),
                            list(value.header_spans.items()), value.line_count, list(value.marked_lines.items()),
                            list(value.key_spans.raw.items())]]
    return ["data", value]


# Findings, groups and whole runs are the bulk of the cache (29,000 findings on 100,000 cells, 12 MB)
# and hold only strings, small integers, None and lists: orjson writes the very bytes json.dumps writes
# for them, five times as fast, and reads them back three times as fast (0.14 → 0.02 s and 0.23 →
# 0.08 s of CPU on those 29,000 findings). The other kinds keep json, whose rules differ from orjson's
# at the edges (orjson writes NaN as null and dataclasses as objects, reads integers past 64 bits as
# floats); a string UTF-8 cannot hold goes to json too, which escapes it.
_FAST_TAGS = ("findings", "group", "run")
_FAST_PREFIXES = tuple(f'["{tag}",'.encode() for tag in _FAST_TAGS)


def encode(value: Any) -> bytes | None:
    """The payload of an entry for `value`, or None for a value of no kind above (an object JSON cannot hold)."""
    try:
        body = _body(value)
        if body[0] in _FAST_TAGS:
            try:
                return orjson.dumps(body)
            except orjson.JSONEncodeError:  # a string UTF-8 cannot hold, say: json below escapes it
                pass
        try:
            return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
        except UnicodeEncodeError:
            # A string UTF-8 cannot hold (a file name that is not UTF-8): JSON's \\u escapes carry it exactly.
            return json.dumps(body, ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode("ascii")
    except (TypeError, ValueError):
        return None


def _loads(payload: bytes | memoryview) -> Any:
    if bytes(payload[:12]).startswith(_FAST_PREFIXES):
        try:
            return orjson.loads(payload)
        except orjson.JSONDecodeError:  # written by json (\\ud800 escapes of a lone surrogate): read it so
            pass
    return json.loads(bytes(payload))


def _summary(body: Sequence[Any]) -> Any:
    # Imported here: only a run that loads documents reads these, and it has the loader imported already.
    from checker.accel.stub import DocumentSummary
    from checker.domain.model import DocumentMeta
    from checker.source.spans import SpanMap

    file, digest, header, header_spans, line_count, marked, key_spans = body
    return DocumentSummary(str(file), str(digest), DocumentMeta.model_validate(header),
                           {tuple(path): int(packed) for path, packed in header_spans}, int(line_count),
                           {int(n): str(text) for n, text in marked},
                           SpanMap({tuple(path): int(packed) for path, packed in key_spans}))


def _checked(strings: Any) -> list[str]:
    if not isinstance(strings, list) or not all(isinstance(t, str) for t in strings):
        raise ValueError("not a table of strings")
    return strings


def decode(payload: bytes | memoryview) -> Any:
    """The value an entry holds; ValueError (or another exception) for anything this module did not write."""
    tag, body = _loads(payload)
    if tag == "findings":
        strings, rows = body
        return _findings(rows, _checked(strings))
    if tag == "group":
        from checker.accel.groups import GroupResult

        strings, rows, lookups = body
        return GroupResult(_findings(rows, _checked(strings)),
                           tuple((str(i), None if f is None else str(f)) for i, f in lookups))
    if tag == "run":
        strings, rows, errors, skipped, files, rules = body
        _checked(strings)
        return RunResult(_findings(rows, strings), tuple(_errors(errors)), tuple(map(str, skipped)),
                         tuple(map(str, files)), tuple(_rule_info(r) for r in rules))
    if tag == "errors":
        return _errors(body)
    if tag == "summary":
        return _summary(body)
    if tag == "data":
        return body
    raise ValueError(f"unknown cache entry {tag!r}")


__all__ = ["decode", "encode"]
