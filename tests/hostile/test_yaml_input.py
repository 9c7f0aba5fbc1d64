"""Hand-edited YAML gone wrong: each file is an input error at its line with exit 2; the good file beside it is linted."""

from __future__ import annotations

import pytest

from tests.helpers.hostile import GOOD_DOC, check_bad_file

VALID_HEAD = "document: {id: bad, kind: roadmap, title: 改革工程表, revision: 2016}\n"

# (case id, content, message fragment, line, column); line/column None where the parser's choice is arbitrary.
CASES = [
    ("syntax-error", VALID_HEAD + "reform_items:\n  - number: 15\n    title: [a, b\n", "YAML error", None, None),
    ("flow-mapping-unclosed", "document: {id: bad, kind: roadmap\nreform_items: []\n", "YAML error", 2, None),
    ("tab-indentation", VALID_HEAD + "reform_items:\n\t- number: 15\n", "a tab character: YAML indents with spaces only", 3, 1),
    ("tab-before-comment", VALID_HEAD + "reform_items: []\n\t# note\n", "a tab character: YAML indents with spaces only", 3, 1),
    ("unclosed-double-quote", VALID_HEAD + 'reform_items:\n  - number: 15\n    title: "業務の簡素化\n',
     "quoted scalar", None, None),
    ("unclosed-single-quote", VALID_HEAD + "reform_items:\n  - number: 15\n    title: '業務\n", "quoted scalar",
     None, None),
    ("duplicate-key", VALID_HEAD + "reform_items:\n  - number: 15\n    title: a\n    title: b\n",
     "duplicate key 'title' (first defined on line 4)", 5, 5),
    ("duplicate-top-key", VALID_HEAD + "reform_items: []\ndocument: {id: x}\n",
     "duplicate key 'document' (first defined on line 1)", 3, 1),
    ("scalar-for-list", VALID_HEAD + "reform_items:\n  - number: 15\n    title: t\n    responsible: 総務省\n",
     "reform_items[0].responsible: Input should be a valid list (got '総務省')", 5, 18),
    ("list-for-scalar", VALID_HEAD + "reform_items:\n  - number: 15\n    title: [a, b]\n",
     "reform_items[0].title: Input should be a valid string", 4, 12),
    ("unknown-field", VALID_HEAD + "reform_items:\n  - number: 15\n    title: t\n    responsable: []\n",
     "unknown field 'responsable' in reform_items[0] (did you mean 'responsible'?)", 5, 5),
    ("unknown-document-kind", "document: {id: bad, kind: memo, title: t}\nreform_items: []\n",
     "document.kind must be one of roadmap, progress_report, kpi_status (got 'memo')", 1, 27),
    ("missing-required", "document: {id: bad, kind: roadmap}\nreform_items: []\n",
     "document.title is required but missing", 1, 11),
    ("empty-file", "", "holds no YAML document (empty, or only comments)", 1, 1),
    ("only-whitespace", "\n\n   \n", "holds no YAML document", 1, 1),
    ("only-comments", "# 改革工程表\n# TODO: fill in\n", "holds no YAML document (empty, or only comments)", 1, 1),
    ("several-documents", VALID_HEAD + "reform_items: []\n---\n" + VALID_HEAD + "reform_items: []\n",
     "several YAML documents in one file; put each document in its own file", 3, 1),
    ("nul-byte", VALID_HEAD.replace("改革工程表", "改革\x00工程表"), "NUL bytes", 1, 45),
    ("binary-data", bytes(range(256)) * 8, "not valid UTF-8", None, None),
    ("png-header", b"\x89PNG\r\n\x1a\n" + bytes(64), "not valid UTF-8 (first bad byte 0x89 at line 1, column 1)",
     1, 1),
    ("top-level-list", "- a\n- b\n", "a document must be a mapping", 1, 1),
    ("top-level-scalar", "改革工程表\n", "a document must be a mapping", 1, 1),
    ("bad-date", "document: {id: bad, kind: roadmap, title: t, published: 2016-13-45}\nreform_items: []\n",
     "bad timestamp value '2016-13-45'", 1, 57),
    ("recursive-alias", VALID_HEAD + "reform_items: &r [*r]\n", "alias refers to its own anchor", 2, 15),
    ("merge-key", VALID_HEAD + "x: &x {a: 1}\nreform_items:\n  - <<: *x\n", "merge keys (<<) are not supported", 4, 5),
    ("complex-key", VALID_HEAD + "? [a, b]\n: c\n", "a mapping key must be a plain scalar", 2, 3),
    ("undefined-alias", VALID_HEAD + "reform_items: *nowhere\n", "YAML error", 2, 15),
]


@pytest.mark.parametrize(("name", "content", "fragment", "line", "column"), CASES, ids=[c[0] for c in CASES])
def test_broken_yaml_is_an_input_error_and_the_good_file_is_still_checked(tmp_path, name, content, fragment, line,
                                                                         column):
    check_bad_file(tmp_path, f"{name}.yaml", content, fragment, line, column)


def test_good_doc_alone_is_clean_input(tmp_path):
    """The control: without a bad file beside it, GOOD_DOC gives its finding and exit 1, not 2."""
    from tests.helpers.hostile import assert_good_still_checked, lint, write_corpus

    run = lint(str(write_corpus(tmp_path / "c", {})))
    assert run.exit_code == 1 and run.input_errors() == []
    assert_good_still_checked(run)
    assert GOOD_DOC.count("\n") == 5
