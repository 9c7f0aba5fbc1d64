"""The loader's C fast path (checker/_fastyaml.c) against its Python builder: same values, spans, errors.

The fast path takes the common case and hands everything else back; whichever path runs, compose_text
must give the same values, the same source maps in the same order, and the same exception. Each test
runs both and compares, on the shipped files, on generated YAML of every scalar and collection style,
on the constructs the fast path must refuse, and on byte-level mutations of the seeds.
"""

from __future__ import annotations

import io
import platform
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from checker.source import yaml_fast
from checker.source.yaml_fast import Built
from checker.source.yaml_tree import DEFAULT_LIMITS, Limits, compose_text
from tests.helpers.yaml_paths import outcome

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "roadmaps").glob("*.yaml")) + sorted((REPO / "rules").rglob("*.yaml"))

# ruamel warns about floats such as 1e5 (yaml_tree silences it, but pytest resets the warning filters).
pytestmark = pytest.mark.filterwarnings("ignore::ruamel.yaml.error.MantissaNoDotYAML1_1Warning")
needs_fast_path = pytest.mark.skipif(yaml_fast._fastyaml is None, reason="the C fast path is not built")





def assert_same(text: str, limits: Limits = DEFAULT_LIMITS) -> tuple:
    fast, slow = outcome(text, True, limits), outcome(text, False, limits)
    assert fast == slow, text[:500]
    return fast


def took_fast_path(text: str) -> bool:
    return isinstance(compose_text(text, "f.yaml")[1], Built)


def test_the_fast_path_is_built_where_it_can_be():
    # make test must not quietly run the slow loader: setup.py marks the extension optional only so that
    # an install without a C compiler still works (and then this says so, as a skip).
    if platform.python_implementation() != "CPython":
        pytest.skip("the extension is CPython-only")
    if yaml_fast._fastyaml is None and not any(shutil.which(cc) for cc in ("cc", "gcc", "clang")):
        pytest.skip("no C compiler here: the loader runs its pure-Python path (slower, same results)")
    assert yaml_fast._fastyaml is not None, "checker._fastyaml is not built: pip install -e . with a C compiler"


@needs_fast_path
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_shipped_files_are_the_same_on_both_paths(path):
    assert assert_same(path.read_text(encoding="utf-8"))[0] == "ok"


@needs_fast_path
def test_data_files_take_the_fast_path():
    for path in sorted((REPO / "roadmaps").glob("*.yaml")):
        assert took_fast_path(path.read_text(encoding="utf-8")), path.name


REFUSED = {
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "duplicate quoted key": 'a: 1\n"a": 2\n',
    "explicit tag": "a: !!python/object:os.system 1\n",
    "local tag": "a: !include other.yaml\n",
    "non-specific tag": "a: ! 12\n",
    "tagged mapping": "a: !!map {b: 1}\n",
    "tagged key": "!!str a: 1\n",
    "anchor and alias": "a: &x [1, 2]\nb: *x\n",
    "anchored scalar": "a: &x 1\n",
    "undefined alias": "a: *nowhere\n",
    "alias bomb": "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n",
    "recursive alias": "a: &a [*a]\n",
    "complex key": "? [a, b]\n: 1\n",
    "mapping key": "{a: 1}: 2\n",
    "merge key": "base: {a: 1}\n<<: {b: 2}\n",
    "value key": "=: 1\n",
    "two documents": "--- 1\n--- 2\n",
    "empty": "",
    "only a comment": "# nothing\n",
    "syntax error": "a: [1, 2\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "tab": "a:\n\tb: 1\n",
    "bad float": "a: 1e99999\n",
    "bad date": "a: 2020-02-30\n",
    "control character": "a: \x07\n",
}


@needs_fast_path
@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_what_the_fast_path_leaves_alone_gives_the_python_builders_answer(text):
    assert_same(text)


ACCEPTED = {
    "plain types": "a: 1\nb: -2.5\nc: true\nd: null\ne: ~\nf: 2020-01-31\ng: 0x1F\nh: .inf\ni: 1_000\n",
    "timestamps": "a: 2020-01-31 10:00:00\nb: 2020-01-31T00:00:00Z\nc: 2020-1-3\n",
    "strings that look like other types": "a: '1'\nb: \"true\"\nc: yes\nd: no\ne: on\nf: 令和元年\n",
    "empty values": "a:\nb: ''\nc: []\nd: {}\n",
    "numeric keys": "1: a\n2.5: b\ntrue: c\nnull: d\n'3': e\n",
    "block scalars": "a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\n",
    "quoting": "a: 'it''s'\nb: \"tab\\there \\u3042\"\nc: plain # comment\n",
    "multi-line plain": "a: this is\n  continued\n  plain text\n",
    "nesting": "a:\n  - b: [1, {c: [2, 3]}]\n    d:\n      - - x\n        - y\n",
    "document markers": "%YAML 1.2\n---\na: 1\n...\n",
    "root sequence": "- 1\n- [2, 3]\n",
    "root scalar": "just text\n",
    "japanese": "項目: 地方公共団体の情報システム運用コスト【2013年度：約3割圧縮】\n",
    "bom-free unicode keys": "名前: 値\n",
}


@needs_fast_path
@pytest.mark.parametrize("text", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_common_yaml_takes_the_fast_path_with_the_same_result(text):
    assert assert_same(text)[0] == "ok"
    assert took_fast_path(text)


@needs_fast_path
def test_limits_are_the_python_builders():
    deep = "a: " + "[" * 70 + "]" * 70 + "\n"
    assert assert_same(deep)[1] == "too-deep"
    small = Limits(max_nodes=10)
    assert assert_same("a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n", small)[1] == "too-large"
    assert assert_same("[1, 2, 3, 4, 5, 6, 7, 8, 9]", Limits(max_nodes=30))[0] == "ok"
    # A file at least max_nodes characters long is pre-scanned, counting keys too: 7 values, 13 events.
    assert assert_same("{a: 1, b: 2, c: 3, d: 4, e: 5, f: 6}", Limits(max_nodes=12))[1] == "too-large"
    shallow = Limits(max_depth=2)
    assert assert_same("a: {b: {c: 1}}\n", shallow)[1] == "too-deep"
    assert assert_same("a: {b: 1}\n", shallow)[0] == "ok"


# ---------------------------------------------------------------- generated YAML

SCALARS = st.one_of(
    st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(), st.dates(),
    st.text(max_size=20),
    st.sampled_from(["yes", "No", "on", "~", "null", "0o17", "0x1F", "1e5", "1_000", ".5", "-.inf", "2016年度",
                     "<<", "=", "- x", "a: b", "#x", "'", '"', "", " ", "令和元年度", "2020-01-01 10:00"]),
)
KEYS = st.one_of(st.text(max_size=12), st.sampled_from(["id", "text", "1", "true", "null", "<<", "=", "~"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(KEYS, inner, max_size=4)), max_leaves=25)


def dump(value, flow: bool | None, width: int) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = flow
    yaml.width = width
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(value, out)
    return out.getvalue()


@needs_fast_path
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES, st.sampled_from([None, True, False]), st.sampled_from([20, 80, 4096]))
def test_generated_documents_are_the_same_on_both_paths(value, flow, width):
    assert_same(dump(value, flow, width))


@needs_fast_path
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("ab1: -[]{},'\"#&*!|>?\n\t~.テ")), max_size=60))
def test_punctuation_soup_is_the_same_on_both_paths(text):
    assert_same(text)


@needs_fast_path
def test_mutated_seeds_are_the_same_on_both_paths():
    rng = random.Random(20261126)
    seeds = [p.read_text(encoding="utf-8") for p in SEEDS]
    punctuation = list(":-[]{},'\"#&*!|>?\n\t ~")
    for _ in range(300):
        text = list(rng.choice(seeds))
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(text))
            op = rng.random()
            if op < 0.4:
                text[i] = rng.choice(punctuation)
            elif op < 0.7:
                text.insert(i, rng.choice(punctuation))
            else:
                del text[i]
        assert_same("".join(text))


@needs_fast_path
@pytest.mark.parametrize("path", SEEDS[:3], ids=lambda p: p.name)
def test_without_key_spans_only_the_key_map_is_left_out(path):
    text = path.read_text(encoding="utf-8")
    value, built = compose_text(text, "f.yaml", key_spans=False)
    full_value, full = compose_text(text, "f.yaml")
    assert built.key_spans is None and full.key_spans
    assert repr(value) == repr(full_value) and list(built.spans.raw.items()) == list(full.spans.raw.items())


def test_a_schema_error_still_points_at_the_key_when_key_spans_were_skipped():
    from checker.domain.load import load_text

    text = (REPO / "roadmaps" / "kaikaku-2015-it.yaml").read_text(encoding="utf-8").replace("\n  title:", "\n  titel:", 1)
    errors = load_text(text, "f.yaml")
    assert isinstance(errors, list)
    unknown = [e for e in errors if "'titel'" in e.message]
    line = next(n for n, s in enumerate(text.splitlines(), 1) if s.startswith("  titel:"))
    assert [e.line for e in unknown] == [line]
