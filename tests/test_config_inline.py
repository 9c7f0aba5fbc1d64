"""Inline `--config "KEY = VALUE"` overrides, as in ruff: a TOML fragment validated like a file's keys,
ranked command-line flag > inline --config > file > default, shown by `roadmap-check config` as
"command line (--config)"."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import textwrap
from pathlib import Path

import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import config
from checker.cli import main
from tests.test_config import HOUSE_RULE

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def shown(result) -> dict[str, str]:
    """`roadmap-check config` output as {key: "value  # origin"}."""
    assert result.exit_code == 0, result.output
    return {k.strip(): v.strip() for k, _, v in (line.partition(" = ") for line in result.stdout.splitlines()[1:])
            if v}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_precedence_flag_over_inline_over_file_over_default(tmp_path, monkeypatch):
    cfg = write(tmp_path / "roadmap-check.toml", 'as-of = "2016-03-31"\nfail-on = "warning"\nlang = "en"\n')
    monkeypatch.chdir(tmp_path)
    out = shown(cli("config", "--config", "as-of = '2017-12-31'", "--config", 'fail-on="info"'))
    assert out["as-of"] == "2017-12-31  # command line (--config)"
    assert out["fail-on"] == '"info"  # command line (--config)'
    assert out["lang"] == f'"en"  # {cfg}'
    assert out["baseline"] == "(none)  # default"
    out = shown(cli("config", "--config", "as-of = '2017-12-31'", "--as-of", "2019-06-30"))
    assert out["as-of"] == "2019-06-30  # command line"
    text = cli("config", "--config", "as-of = 2017-12-31").stdout
    assert f"configuration: {cfg}\noverrides: --config \"as-of = 2017-12-31\"\n" in text
    # the last of two inline values for one key wins
    assert shown(cli("config", "--config", "lang='en'", "--config", "lang='ja'"))["lang"].startswith('"ja"')


def test_inline_overrides_apply_to_the_run(tmp_path, monkeypatch):
    shutil.copytree(REPO / "roadmaps", tmp_path / "data")
    monkeypatch.chdir(tmp_path)

    def found(*args: str) -> list:
        result = cli("lint", "--format", "json", *args)
        assert result.exit_code in (0, 1), result.output
        return sorted((f["rule"], f["location"]["file"], f["location"]["line"])
                      for f in json.loads(result.stdout)["findings"])

    inline = found("--isolated", "--config", "paths = ['data']", "--config", "as-of = 2017-12-31",
                   "--config", "ignore = ['schedule-actor-unknown']")
    flags = found("data", "--isolated", "--as-of", "2017-12-31", "--ignore", "schedule-actor-unknown")
    assert inline == flags and inline
    assert all(f.startswith("data/") for _, f, _ in inline)  # inline paths are relative to the current directory
    # exit code from an inline fail-on
    assert cli("lint", "data", "--isolated", "--config", "as-of = 2017-12-31", "--config",
               "fail-on = 'never'").exit_code == 0


def test_inline_rules_and_extend_rules_layer_like_ruff(tmp_path, monkeypatch):
    shutil.copytree(REPO / "roadmaps", tmp_path / "data")
    write(tmp_path / "house.yaml", HOUSE_RULE.format(severity="info"))
    for n in (2, 3):
        write(tmp_path / f"more{n}.yaml",
              HOUSE_RULE.format(severity="info").replace("house-kpi-cloud", f"house-kpi-cloud-{n}"))
    cfg = write(tmp_path / "roadmap-check.toml", 'paths = ["data"]\nas-of = "2017-12-31"\nextend-rules = ["house.yaml"]\n')
    monkeypatch.chdir(tmp_path)

    def rules(*args: str) -> set[str]:
        result = cli("lint", "--format", "json", *args)
        assert result.exit_code in (0, 1), result.output
        return {f["rule"] for f in json.loads(result.stdout)["findings"]}

    # inline extend-rules add to the file's, and the command line's add to both
    got = rules("--config", "extend-rules = ['more2.yaml']", "--extend-rules", "more3.yaml")
    assert {"house-kpi-cloud", "house-kpi-cloud-2", "house-kpi-cloud-3", "kpi-target-missing"} <= got
    out = shown(cli("config", "--config", "extend-rules = ['more2.yaml']", "--extend-rules", "more3.yaml"))
    assert out["extend-rules"].endswith(f"# {cfg}, then command line (--config), then command line")
    # inline rules name the whole ruleset: the file's extend-rules give way, the command line's still add
    assert rules("--config", "rules = ['more2.yaml']") == {"house-kpi-cloud-2"}
    assert rules("--config", "rules = ['more2.yaml']", "--extend-rules", "more3.yaml") == {
        "house-kpi-cloud-2", "house-kpi-cloud-3"}
    # and --rules on the command line replaces inline and file alike
    assert rules("--rules", "more3.yaml", "--config", "extend-rules = ['more2.yaml']") == {"house-kpi-cloud-3"}


def test_inline_with_isolated_and_with_a_file(tmp_path, monkeypatch):
    write(tmp_path / "roadmap-check.toml", 'as-of = "2016-03-31"\nlang = "ja"\n')
    other = write(tmp_path / "other" / "settings.toml", 'fail-on = "warning"\n')
    monkeypatch.chdir(tmp_path)
    out = shown(cli("config", "--isolated", "--config", "as-of = 2017-12-31"))
    assert out["as-of"] == "2017-12-31  # command line (--config)" and out["lang"].endswith("# default (locale "
                                                                                              "LANG=C.UTF-8)")
    out = shown(cli("config", "--config", str(other), "--config", "as-of = 2017-12-31"))
    assert out["fail-on"] == f'"warning"  # {other}' and out["as-of"].endswith("# command line (--config)")
    assert out["lang"] == '"en"  # default (locale LANG=C.UTF-8)'  # the discovered file is not read


@pytest.mark.parametrize(("arg", "expected"), [
    ("as_of = '2017-12-31'", "--config \"as_of = '2017-12-31'\": unknown key 'as_of'; did you mean 'as-of'? "
                             "e.g. as-of = \"2017-12-31\""),
    ("lang = ja", '--config "lang = ja": invalid TOML: Invalid value; strings are quoted: write lang = "ja"'),
    ('paths = "data"', "--config 'paths = \"data\"': paths: must be a list of non-empty strings (got 'data'); "
                       'write e.g. paths = ["roadmaps"]'),
    ("fail-on = 'warnings'", "--config \"fail-on = 'warnings'\": fail-on: must be one of error, warning, info, never "
                             "(got 'warnings'); did you mean fail-on = \"warning\"?"),
    ("extend-rules = ['nowhere']", "--config \"extend-rules = ['nowhere']\": extend-rules: 'nowhere' does not exist"),
    ("select = ['kpi-target-mising']", "--config \"select = ['kpi-target-mising']\": select: unknown rule id(s): "
                                       "kpi-target-mising; did you mean kpi-target-missing?"),
])
def test_bad_inline_values_are_named_like_a_files(tmp_path, monkeypatch, arg, expected):
    monkeypatch.chdir(tmp_path)
    result = cli("lint", str(REPO / "roadmaps"), "--isolated", "--config", arg)
    assert result.exit_code == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"roadmap-check: {expected}")
    ja = cli("lint", str(REPO / "roadmaps"), "--isolated", "--config", arg, "--lang", "ja")
    assert ja.exit_code == 2 and ja.stderr.startswith(f"roadmap-check: {expected.split(': ', 1)[0]}: ")
    assert ja.stderr != result.stderr  # told in Japanese


def test_an_inline_lang_also_picks_the_language_of_the_errors(tmp_path, monkeypatch):
    write(tmp_path / "roadmap-check.toml", 'as_of = "2017-12-31"\n')
    monkeypatch.chdir(tmp_path)
    result = cli("config", "--config", "lang = 'ja'")
    assert result.exit_code == 2 and "不明なキー 'as_of' です" in result.stderr


_VALUES = {
    "paths": st.lists(st.sampled_from(["roadmaps", "data", "a/b", "データ"]), min_size=1, max_size=3, unique=True),
    "select": st.lists(st.sampled_from(["kpi-target-missing", "kpi-deadline-missing"]), max_size=2, unique=True),
    "ignore": st.lists(st.sampled_from(["schedule-actor-unknown"]), max_size=1),
    "as-of": st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
    "fail-on": st.sampled_from(config.FAIL_ON), "lang": st.sampled_from(config.LANGS),
    "baseline": st.sampled_from(["b.json", "ci/baseline.json"]),
}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({}, optional=_VALUES).filter(bool), one_arg=st.booleans())
def test_generated_inline_overrides_read_back_as_the_same_keys_in_a_file(tmp_path_factory, monkeypatch, values,
                                                                         one_arg):
    root = tmp_path_factory.mktemp("inline")
    monkeypatch.chdir(root)
    (root / "roadmap-check.toml").write_text(tomli_w.dumps(values), encoding="utf-8")
    from_file = shown(cli("config"))
    args = (["--config", tomli_w.dumps(values)] if one_arg else
            [a for k, v in values.items() for a in ("--config", tomli_w.dumps({k: v}))])
    inline = shown(cli("config", "--isolated", *args))
    for key in config.KEYS:
        value_file, _, origin_file = from_file[key].partition("  # ")
        value_inline, _, origin_inline = inline[key].partition("  # ")
        assert value_inline == value_file  # relative paths: against the cwd, here the file's directory
        if key in values:
            assert origin_inline in ("command line (--config)", "コマンドライン (--config)")  # lang may be ja
            assert origin_file == str(root / "roadmap-check.toml")


def test_an_inline_fragment_longer_than_a_file_name_is_read_as_toml(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ids = ["kpi-target-missing", "kpi-deadline-missing"] * 10  # 400+ characters: ENAMETOOLONG as a file name
    arg = tomli_w.dumps({"ignore": ids}).replace("\n", " ")
    assert len(arg) > 300
    out = shown(cli("config", "--isolated", "--config", arg))
    assert out["ignore"].startswith('["kpi-target-missing", "kpi-deadline-missing", ') and "(--config)" in out["ignore"]
    result = cli("config", "--isolated", "--config", "x" * 300)  # no '=' and no file: named as a missing file
    assert result.exit_code == 2 and "no such file" in result.stderr and "internal error" not in result.stderr


def test_config_output_speaks_the_effective_language(tmp_path, monkeypatch):
    cfg = write(tmp_path / "default" / "roadmap-check.toml", 'lang = "ja"\nextend-rules = ["."]\n')
    monkeypatch.chdir(cfg.parent)
    result = cli("config", "--config", "as-of = 2017-12-31", "--extend-rules", ".")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"設定: {cfg}", '上書き: --config "as-of = 2017-12-31"']
    out = shown(result)
    assert out["as-of"] == "2017-12-31  # コマンドライン (--config)"
    # a file name is never translated, even where it holds a label's words ("default")
    assert out["extend-rules"].endswith(f"# {cfg}、次に コマンドライン")
    assert out["baseline"] == "(なし)  # 既定" and out["rules"] == "[]  # 既定 (同梱のルール)"
    assert out["lang"] == f'"ja"  # {cfg}'
    english = cli("config", "--lang", "en").stdout
    assert english.startswith(f"configuration: {cfg}\n") and "# default (shipped rules)" in english
