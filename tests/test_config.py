"""Project configuration: discovery (nested directories, both file kinds, precedence), bad keys, --config,
--isolated, command line over file, `roadmap-check config`, extend-rules and the run cache."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import api, config
from checker.cli import main

REPO = Path(__file__).resolve().parent.parent

HOUSE_RULE = textwrap.dedent("""\
    rules:
      - id: house-kpi-cloud
        severity: {severity}
        title: {{ja: クラウドに触れたKPI, en: KPI mentions the cloud}}
        select: kpis
        check: pattern
        with: {{field: text, must_not_match: "クラウド"}}
        message: {{ja: "KPI「{{kpi.name}}」がクラウドに触れている", en: "KPI '{{kpi.name}}' mentions the cloud"}}
        rationale: A house rule, to show that extend-rules adds to the shipped rules.
        examples:
          fail: [{{kpis: [{{tier: 1, text: "クラウド導入市区町村数【目標：倍増】"}}]}}]
          pass: [{{kpis: [{{tier: 1, text: "電子申請の利用率【目標：2020年度までに50%】"}}]}}]
    """)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    monkeypatch.setenv("ROADMAP_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("LANG", "C.UTF-8")
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def project(tmp_path: Path) -> Path:
    """A fresh directory holding a copy of roadmaps/ as data/."""
    root = tmp_path / "proj"
    shutil.copytree(REPO / "roadmaps", root / "data")
    return root


def findings(result) -> list[tuple[str, str, int]]:
    data = json.loads(result.stdout)
    return sorted((f["rule"], f["location"]["file"], f["location"]["line"]) for f in data["findings"])


# ------------------------------------------------------------------ discovery


def test_found_from_nested_directories_and_paths_resolve_against_the_file(tmp_path, monkeypatch):
    root = project(tmp_path)
    write(root / "pyproject.toml", """\
        [project]
        name = "x"
        [tool.roadmap-check]
        paths = ["data"]
        as-of = 2017-12-31
        """)
    deep = root / "a" / "b" / "c"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert config.find(Path.cwd()) == root / "pyproject.toml"
    result = cli("lint", "--format", "json")
    assert result.exit_code == 1, result.output
    files = {f[1] for f in findings(result)}
    # data/ is not under the cwd: named absolutely, never relative to the wrong directory
    assert files and all(Path(f).is_absolute() and Path(f).parent == root / "data" for f in files)
    monkeypatch.chdir(root)
    assert {f[1] for f in findings(cli("lint", "--format", "json"))} == {
        (Path("data") / Path(f).name).as_posix() for f in files}


@pytest.mark.parametrize(("present", "winner"), [
    (("pyproject.toml", "roadmap-check.toml"), "roadmap-check.toml"),
    ((".roadmap-check.toml", "roadmap-check.toml", "pyproject.toml"), ".roadmap-check.toml"),
    (("pyproject.toml",), "pyproject.toml"),
    ((".roadmap-check.toml", "pyproject.toml"), ".roadmap-check.toml"),
])
def test_precedence_in_one_directory_follows_ruff(tmp_path, monkeypatch, present, winner):
    dates = {"pyproject.toml": "2016-01-01", "roadmap-check.toml": "2017-01-01", ".roadmap-check.toml": "2018-01-01"}
    for name in present:
        body = f'as-of = "{dates[name]}"\n'
        write(tmp_path / name, "[tool.roadmap-check]\n" + body if name == "pyproject.toml" else body)
    monkeypatch.chdir(tmp_path)
    result = cli("config")
    assert result.exit_code == 0, result.output
    assert f"as-of        = {dates[winner]}  # {tmp_path / winner}" in result.stdout


def test_pyproject_without_the_table_is_passed_over_and_the_nearest_file_wins(tmp_path, monkeypatch):
    write(tmp_path / "roadmap-check.toml", 'as-of = "2015-06-30"\nlang = "ja"\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n[tool.ruff]\nline-length = 100\n')
    assert config.find(tmp_path / "sub") == tmp_path / "roadmap-check.toml"
    write(tmp_path / "sub" / "inner" / "pyproject.toml", '[tool.roadmap-check]\nas-of = "2016-03-31"\n')
    monkeypatch.chdir(tmp_path / "sub" / "inner")
    out = cli("config").stdout
    # the nearest configuration is used whole: nothing is merged from the one further up (ruff does the same)
    assert "as-of        = 2016-03-31" in out and 'lang         = "en"  # default' in out


def test_no_configuration_anywhere_gives_the_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = cli("config").stdout
    assert "configuration: none found" in out and 'paths        = ["roadmaps"]  # default' in out


def test_bad_keys_and_values_exit_2_naming_file_line_and_key(tmp_path, monkeypatch):
    cfg = write(tmp_path / "pyproject.toml", """\
        [tool.ruff]
        select = ["E"]

        [tool.roadmap-check]
        as_of = "2017-12-31"
        fail-on = "warn"
        paths = "roadmaps"
        extend-rule = ["house.yaml"]
        lang = "fr"
        """)
    monkeypatch.chdir(tmp_path)
    result = cli("lint")
    assert result.exit_code == 2 and result.stdout == ""
    err = result.stderr
    assert f"{cfg}:5: [tool.roadmap-check] unknown key 'as_of'; did you mean 'as-of'?" in err
    assert f"{cfg}:6: [tool.roadmap-check] fail-on: must be one of error, warning, info, never (got 'warn'); " \
           'did you mean fail-on = "warning"?' in err
    assert f"{cfg}:7: [tool.roadmap-check] paths: must be a list" in err
    assert f"{cfg}:8: [tool.roadmap-check] unknown key 'extend-rule'; did you mean 'extend-rules'?" in err
    assert f"{cfg}:9: [tool.roadmap-check] lang: must be one of ja, en" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("body", "expected"), [
    ('as-of = "31/12/2017"\n', "as-of: must be a date YYYY-MM-DD"),
    ("as-of = 2017-12-31T10:00:00\n", "as-of: must be a date (YYYY-MM-DD), not a date and time"),
    ('rules = ["nowhere/"]\n', "rules: 'nowhere/' does not exist"),
    ('select = ["kpi-target-mising"]\n', "unknown rule id(s): kpi-target-mising; did you mean kpi-target-missing?"),
    ("baseline = 3\n", "baseline: must be a file name"),
    ("paths = [\"\"]\n", "paths: must be a list of non-empty strings"),
    ("as-of = \n", "invalid TOML"),
    ("zzz = 1\n", "unknown key 'zzz' (known keys: paths, rules"),
])
def test_each_bad_value_is_named(tmp_path, monkeypatch, body, expected):
    write(tmp_path / "roadmap-check.toml", body)
    monkeypatch.chdir(tmp_path)
    result = cli("lint", str(REPO / "roadmaps"))
    assert result.exit_code == 2, result.output
    assert expected in result.stderr and "roadmap-check.toml" in result.stderr


def test_isolated_ignores_configuration_and_config_names_a_file(tmp_path, monkeypatch):
    write(tmp_path / "roadmap-check.toml", 'as-of = "2017-12-31"\nselect = ["nonexistent-rule"]\n')
    other = write(tmp_path / "elsewhere" / "pyproject.toml", """\
        [tool.roadmap-check]
        paths = ["../data"]
        as-of = "2016-12-31"
        """)
    monkeypatch.chdir(tmp_path)
    assert cli("lint", str(REPO / "roadmaps")).exit_code == 2  # the file's select is used
    out = cli("config", "--isolated").stdout
    assert "configuration: none (--isolated)" in out and "as-of        = " in out and "# default (today)" in out
    out = cli("config", "--config", str(other)).stdout
    assert f"configuration: {other} [tool.roadmap-check]" in out
    assert 'paths        = ["data"]' in out and "as-of        = 2016-12-31" in out  # ../data from elsewhere/
    result = cli("config", "--config", str(tmp_path / "missing.toml"))
    assert result.exit_code == 2 and "missing.toml" in result.stderr
    write(tmp_path / "plain" / "pyproject.toml", "[project]\nname = 'x'\n")
    result = cli("config", "--config", str(tmp_path / "plain" / "pyproject.toml"))
    assert result.exit_code == 2 and "no [tool.roadmap-check] table" in result.stderr


def test_command_line_wins_key_by_key_and_config_shows_origins(tmp_path, monkeypatch):
    write(tmp_path / "roadmap-check.toml", """\
        paths = ["data"]
        as-of = "2017-12-31"
        fail-on = "warning"
        ignore = ["kpi-target-missing"]
        lang = "ja"
        """)
    monkeypatch.chdir(tmp_path)
    out = cli("config", "--as-of", "2020-04-01", "--lang", "en", "other/").stdout.splitlines()
    cfg = str(tmp_path / "roadmap-check.toml")
    assert 'paths        = ["other/"]  # command line' in out
    assert "as-of        = 2020-04-01  # command line" in out
    assert 'lang         = "en"  # command line' in out
    assert f'fail-on      = "warning"  # {cfg}' in out
    assert f'ignore       = ["kpi-target-missing"]  # {cfg}' in out


def test_fail_on_and_baseline_from_the_file(tmp_path, monkeypatch):
    root = project(tmp_path)
    monkeypatch.chdir(root)
    write(root / "roadmap-check.toml", 'paths = ["data"]\nas-of = "2017-12-31"\nselect = ["kpi-target-arithmetic"]\n'
                                       'fail-on = "warning"\nbaseline = "debt.json"\n')
    made = cli("baseline", "create")
    assert made.exit_code == 0, made.output
    assert (root / "debt.json").is_file()  # the configured baseline is where `baseline create` writes
    assert cli("lint").exit_code == 0  # every finding is in the baseline
    (root / "debt.json").write_text('{"schema_version": 1, "tool": "roadmap-check", "entries": []}')
    result = cli("lint")
    assert result.exit_code == 1  # a warning, and fail-on = "warning" from the file
    assert cli("lint", "--fail-on", "error").exit_code == 0


# ------------------------------------------------------------------ extend-rules and the "done when"


def test_done_when_a_bare_lint_honours_paths_as_of_and_extend_rules(tmp_path, monkeypatch):
    root = project(tmp_path)
    write(root / "house" / "house.yaml", HOUSE_RULE.format(severity="warning"))
    write(root / "pyproject.toml", """\
        [tool.roadmap-check]
        paths = ["data"]
        as-of = "2017-12-31"
        extend-rules = ["house"]
        """)
    monkeypatch.chdir(root)
    bare = cli("lint", "--format", "json")
    assert bare.exit_code == 1, bare.output
    got = findings(bare)
    assert any(r == "house-kpi-cloud" for r, _, _ in got)  # the house rule ran…
    assert {"kpi-target-missing", "kpi-deadline-missing"} <= {r for r, _, _ in got}  # …beside the shipped ones
    explicit = cli("lint", "data", "--as-of", "2017-12-31", "--extend-rules", "house", "--isolated",
                   "--format", "json")
    assert findings(explicit) == got
    # as-of matters: judged today, the 2017 promises have passed and more deadline findings appear
    assert len(findings(cli("lint", "--as-of", "2030-01-01", "--format", "json"))) > len(got)


def test_this_repository_bare_lint_equals_make_lint(monkeypatch):
    monkeypatch.chdir(REPO)
    bare = cli("lint", "--format", "json")
    make = cli("lint", "roadmaps/", "--as-of", "2017-12-31", "--isolated", "--format", "json")
    assert bare.exit_code == make.exit_code == 1
    assert findings(bare) == findings(make) and findings(bare)
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    lint_recipe = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "roadmap-check lint" in lint_recipe and "--isolated" not in lint_recipe


def test_extend_rules_on_the_command_line_add_to_the_files_and_rules_replace_both(tmp_path, monkeypatch):
    root = project(tmp_path)
    write(root / "house.yaml", HOUSE_RULE.format(severity="info"))
    second = HOUSE_RULE.format(severity="info").replace("house-kpi-cloud", "house-kpi-cloud-2")
    write(root / "more" / "more.yaml", second)
    write(root / "roadmap-check.toml", 'paths = ["data"]\nas-of = "2017-12-31"\nextend-rules = ["house.yaml"]\n')
    monkeypatch.chdir(root)
    rules = {r for r, _, _ in findings(cli("lint", "--extend-rules", "more", "--format", "json"))}
    assert {"house-kpi-cloud", "house-kpi-cloud-2", "kpi-target-missing"} <= rules
    out = cli("config", "--extend-rules", "more").stdout
    assert f"  # {root / 'roadmap-check.toml'}, then command line" in out
    only = {r for r, _, _ in findings(cli("lint", "--rules", "more", "--format", "json"))}
    assert only == {"house-kpi-cloud-2"}


def test_run_cache_key_covers_the_extra_rules(tmp_path, monkeypatch):
    root = project(tmp_path)
    house = write(root / "house.yaml", HOUSE_RULE.format(severity="warning"))
    write(root / "roadmap-check.toml", 'paths = ["data"]\nas-of = "2017-12-31"\nextend-rules = ["house.yaml"]\n'
                                       'select = ["house-kpi-cloud"]\n')
    monkeypatch.chdir(root)
    first = json.loads(cli("lint", "--format", "json").stdout)["findings"]
    assert first and {f["severity"] for f in first} == {"warning"}
    house.write_text(HOUSE_RULE.format(severity="error"), encoding="utf-8")  # the rule file changed: the run cache must miss
    second = json.loads(cli("lint", "--format", "json").stdout)["findings"]
    assert len(second) == len(first) and {f["severity"] for f in second} == {"error"}


# ------------------------------------------------------------------ generated configurations

_IDS = st.lists(st.sampled_from(["kpi-target-missing", "kpi-deadline-missing", "schedule-actor-unknown"]),
                max_size=3, unique=True)
_VALUES = {
    "paths": st.lists(st.sampled_from(["roadmaps", "data", "a/b", "データ"]), min_size=1, max_size=3, unique=True),
    "select": _IDS, "ignore": _IDS,
    "as-of": st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
    "fail-on": st.sampled_from(config.FAIL_ON), "lang": st.sampled_from(config.LANGS),
    "baseline": st.sampled_from(["b.json", "ci/baseline.json"]),
    "context": st.lists(st.sampled_from(["roadmaps", "../shared", "ロードマップ"]), min_size=1, max_size=2, unique=True),
}


def _toml(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return f'"{value}"' if isinstance(value, str) else value.isoformat()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({}, optional=_VALUES), kind=st.sampled_from(config.CONFIG_NAMES),
       depth=st.integers(0, 3), quoted_date=st.booleans())
def test_generated_configurations_read_back_exactly(tmp_path_factory, values, kind, depth, quoted_date):
    root = tmp_path_factory.mktemp("gen")
    lines = [f"{k} = " + (f'"{v.isoformat()}"' if k == "as-of" and quoted_date else _toml(v))
             for k, v in values.items()]
    body = "\n".join(lines) + "\n"
    write(root / kind, "[tool.roadmap-check]\n" + body if kind == "pyproject.toml" else body)
    cwd = root.joinpath(*["d"] * depth)
    cwd.mkdir(parents=True, exist_ok=True)
    found = config.find(cwd)
    assert found == root / kind
    loaded = config.load(found).values
    assert set(loaded) == set(values)
    for key, value in values.items():
        if key in ("paths", "context"):
            assert loaded[key] == tuple(str(root / p) for p in value)
        elif key == "baseline":
            assert loaded[key] == (root / value).resolve()
        elif key in ("select", "ignore"):
            assert loaded[key] == tuple(value)
        else:
            assert loaded[key] == value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(sorted(config.KEYS)), typo=st.sampled_from(["swap", "underscore", "drop", "upper"]))
def test_misspelt_keys_get_a_did_you_mean(tmp_path_factory, key, typo):
    if typo == "swap" and len(key) > 3:
        bad = key[:1] + key[2] + key[1] + key[3:]
    elif typo == "underscore" and "-" in key:
        bad = key.replace("-", "_")
    elif typo == "drop":
        bad = key[:-1]
    else:
        bad = key.upper()
    if bad == key:
        return
    root = tmp_path_factory.mktemp("typo")
    write(root / "roadmap-check.toml", f'"{bad}" = 1\n')
    with pytest.raises(config.ConfigError) as err:
        config.load(root / "roadmap-check.toml")
    message = str(err.value)
    assert f"{root / 'roadmap-check.toml'}:1: unknown key {bad!r}" in message
    assert f"did you mean {key!r}?" in message or "known keys:" in message


def test_rules_commands_see_the_configured_house_rules(tmp_path, monkeypatch):
    root = project(tmp_path)
    write(root / "house" / "house.yaml", HOUSE_RULE.format(severity="warning"))
    write(root / "roadmap-check.toml", 'extend-rules = ["house"]\n')
    monkeypatch.chdir(root)
    listed = cli("rules", "list").stdout
    assert "house-kpi-cloud" in listed and "kpi-target-missing" in listed
    tested = cli("rules", "test", "-q")
    shipped = len(api.load_rules().rules)
    assert tested.exit_code == 0 and f"({shipped + 1} rules)" in tested.stdout
    assert "house-kpi-cloud" in cli("rules", "show", "house-kpi-cloud").stdout
    only = cli("rules", "list", "--rules", "house")
    assert only.stdout.split()[0] == "house-kpi-cloud" and "kpi-target-missing" not in only.stdout
    write(root / "roadmap-check.toml", 'extend-rule = ["house"]\n')
    bad = cli("rules", "list")
    assert bad.exit_code == 2 and "did you mean 'extend-rules'?" in bad.stderr
