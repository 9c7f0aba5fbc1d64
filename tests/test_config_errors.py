"""Configuration errors in the user's language: Japanese or English after --lang, the configured `lang`, or
the locale; each names file:line (or the --config argument) and says what to write instead; exit 2,
nothing on stdout, never a traceback. Bad keys and values are also generated with hypothesis."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from checker import config
from checker.cli import main

REPO = Path(__file__).resolve().parent.parent
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)


def cli(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors(result) -> list[str]:
    """The stderr lines of a run that must have failed on its configuration."""
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("roadmap-check: ") for line in lines)
    return [line.removeprefix("roadmap-check: ") for line in lines]


# ------------------------------------------------------------------ which language


BAD = """\
    [tool.roadmap-check]
    as_of = "2017-12-31"
    fail-on = "warn"
    lang = "{lang}"
    """


@pytest.mark.parametrize(("configured", "args", "env", "expected"), [
    ("ja", (), {}, "ja"),                             # the file's own lang, beside the bad keys
    ("en", (), {"LANG": "ja_JP.UTF-8"}, "en"),        # the file's lang over the locale
    ("ja", ("--lang", "en"), {}, "en"),               # --lang over the file
    ("en", ("--lang", "ja"), {}, "ja"),
    ("fr", (), {"LANG": "ja_JP.UTF-8"}, "ja"),        # a bad lang says nothing: the locale
    ("fr", (), {"LC_ALL": "en_US.UTF-8", "LANG": "ja_JP.UTF-8"}, "en"),
    ("fr", ("--lang", "ja"), {}, "ja"),
])
def test_errors_follow_lang_then_the_configured_lang_then_the_locale(tmp_path, monkeypatch, configured, args, env,
                                                                     expected):
    cfg = write(tmp_path / "pyproject.toml", BAD.format(lang=configured))
    monkeypatch.chdir(tmp_path)
    lines = errors(cli("lint", *args, env=env))
    assert len(lines) == 2 + (configured == "fr")
    assert lines[0].startswith(f"{cfg}:2: [tool.roadmap-check] ") and lines[1].startswith(f"{cfg}:3: ")
    if expected == "ja":
        assert lines[0].endswith("不明なキー 'as_of' です。'as-of' のことですか? 例: as-of = \"2017-12-31\"")
        assert "fail-on = \"warning\" のことですか?" in lines[1]
    else:
        assert lines[0].endswith("unknown key 'as_of'; did you mean 'as-of'? e.g. as-of = \"2017-12-31\"")
        assert 'did you mean fail-on = "warning"?' in lines[1]
        assert not any(JAPANESE.search(line) for line in lines)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize(("body", "line", "en", "ja"), [
    ('lang = ja\n', "1:8", 'invalid TOML: Invalid value; strings are quoted: write lang = "ja"',
     'TOML として読めません: 値として読めません(Invalid value)。文字列は引用符で囲みます: lang = "ja"'),
    ('paths = ["roadmaps"\nas-of = "2017-12-31"\n', "2:1", "invalid TOML: Unclosed array",
     "TOML として読めません: 配列の ] が閉じられていません"),
    ('as-of = "2017-12-31\n', "1:20", "invalid TOML: Unterminated string",
     "TOML として読めません: 文字列の引用符が閉じられていません"),
    ('as-of = 2017-13-01\n', "1:13", 'invalid TOML: Expected newline or end of document after a statement; write '
     'e.g. as-of = "2017-12-31"', 'TOML として読めません: 値の後に余計な文字があります(1行に1つ、キー = 値)'
     '(Expected newline or end of document after a statement)。例: as-of = "2017-12-31"'),
    ('select = ["a"]\nselect = ["b"]\n', "2:", "invalid TOML: Cannot overwrite a value",
     "TOML として読めません: 同じキーが二度書かれています"),
    ('as-of "2017-12-31"\n', "1:7", "invalid TOML: Expected '=' after a key",
     "TOML として読めません: キーの後に '=' がありません"),
])
def test_invalid_toml_names_line_and_column_in_both_languages(tmp_path, monkeypatch, lang, body, line, en, ja):
    cfg = write(tmp_path / "roadmap-check.toml", body)
    monkeypatch.chdir(tmp_path)
    (message,) = errors(cli("lint", "--lang", lang))
    assert message.startswith(f"{cfg}:{line}")
    assert (ja if lang == "ja" else en) in message


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_file_saved_as_shift_jis_is_named_with_its_line(tmp_path, monkeypatch, lang):
    cfg = tmp_path / "roadmap-check.toml"
    cfg.write_bytes('as-of = "2017-12-31"\n# 改革工程表の設定\n'.encode("shift_jis"))
    monkeypatch.chdir(tmp_path)
    (message,) = errors(cli("config", "--lang", lang))
    assert message.startswith(f"{cfg}:2: ")
    assert ("UTF-8 ではありません" if lang == "ja" else "not UTF-8; a TOML file must be saved as UTF-8") in message


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "in roadmap-check.toml the keys go at the top level: remove the [tool.roadmap-check] line "
           "(that table is for pyproject.toml)"),
    ("ja", "roadmap-check.toml ではキーを最上位に書きます: [tool.roadmap-check] の行を消してください"
           "(そのテーブルは pyproject.toml 用です)"),
])
def test_a_pyproject_table_copied_into_roadmap_check_toml(tmp_path, monkeypatch, lang, expected):
    cfg = write(tmp_path / "roadmap-check.toml", '# copied from pyproject.toml\n[tool.roadmap-check]\nas-of = "2017-12-31"\n')
    monkeypatch.chdir(tmp_path)
    assert errors(cli("lint", "--lang", lang)) == [f"{cfg}:2: {expected}"]


@pytest.mark.parametrize("table", ["roadmap_check", "roadmapcheck", "roadmap-checker", "Roadmap-Check"])
def test_a_misspelt_pyproject_table_is_an_error_not_silently_ignored(tmp_path, monkeypatch, table):
    write(tmp_path / "roadmap-check.toml", 'as-of = "2015-01-01"\n')  # further up: must not be used instead
    cfg = write(tmp_path / "proj" / "pyproject.toml", f'[project]\nname = "x"\n\n[tool.{table}]\nas-of = "2017-12-31"\n')
    monkeypatch.chdir(tmp_path / "proj")
    assert errors(cli("config")) == [f"{cfg}:4: [tool.{table}] is not read; did you mean [tool.roadmap-check]?"]
    assert errors(cli("config", "--lang", "ja")) == [
        f"{cfg}:4: [tool.{table}] は読まれません。[tool.roadmap-check] のことですか?"]
    write(cfg, '[tool.ruff]\nline-length = 100\n')  # another tool's table: passed over, as before
    assert "as-of        = 2015-01-01" in cli("config").stdout


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_unknown_rule_ids_in_a_configured_select_name_the_line(tmp_path, monkeypatch, lang):
    cfg = write(tmp_path / "roadmap-check.toml", 'as-of = "2017-12-31"\nignore = [\n  "schedule-actor-unkown",\n]\n')
    monkeypatch.chdir(tmp_path)
    (message,) = errors(cli("lint", str(REPO / "roadmaps"), "--lang", lang))
    assert message.startswith(f"{cfg}:2: ignore: ")
    assert ("不明なルール ID: schedule-actor-unkown。schedule-actor-unknown のことですか?" if lang == "ja" else
            "unknown rule id(s): schedule-actor-unkown; did you mean schedule-actor-unknown?") in message


@pytest.mark.parametrize(("args", "en", "ja"), [
    (("--config", "missing.toml"), '--config "missing.toml": no such file; to set one key instead write e.g.',
     '--config "missing.toml": そのファイルはありません。'),
    (("--config", "."), '--config ".": is a directory', '--config ".": ディレクトリです'),
    (("--config", "a.toml", "--config", "b.toml"), "--config: only one configuration file may be given",
     "--config: 設定ファイルは一つだけ指定できます"),
    (("--config", "a.toml", "--isolated"), '--config "a.toml": cannot be used with --isolated',
     '--config "a.toml": --isolated(すべての設定ファイルを無視する)とは併用できません'),
])
def test_config_argument_problems_in_both_languages(tmp_path, monkeypatch, args, en, ja):
    write(tmp_path / "a.toml", 'as-of = "2017-12-31"\n')
    write(tmp_path / "b.toml", 'as-of = "2017-12-31"\n')
    monkeypatch.chdir(tmp_path)
    assert errors(cli("config", *args))[0].startswith(en)
    assert errors(cli("config", *args, env={"LANG": "ja_JP.UTF-8"}))[0].startswith(ja)


def test_rules_commands_report_configuration_errors_in_the_language_too(tmp_path, monkeypatch):
    cfg = write(tmp_path / "roadmap-check.toml", 'extend-rule = ["house"]\nlang = "ja"\n')
    monkeypatch.chdir(tmp_path)
    expected = f"{cfg}:1: 不明なキー 'extend-rule' です。'extend-rules' のことですか? 例: extend-rules = [\"house-rules\"]"
    for args in (("rules", "list"), ("rules", "test"), ("rules", "show", "kpi-target-missing"), ("rules", "docs")):
        assert errors(cli(*args)) == [expected]
    assert errors(cli("rules", "list", "--lang", "en"))[0].endswith("unknown key 'extend-rule'; did you mean "
                                                                   "'extend-rules'? e.g. extend-rules = [\"house-rules\"]")


# ------------------------------------------------------------------ generated bad keys and values

_SCALARS = (st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.booleans()
            | st.text(max_size=20) | st.dates() | st.datetimes() | st.times())
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.text(min_size=1, max_size=5), inner, max_size=2), max_leaves=6)
_KEY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20)


def _well_typed(key: str, value) -> bool:
    """Whether `value` is one `key` accepts, decided independently of checker.config."""
    if key in ("paths", "select", "ignore", "context"):
        return isinstance(value, list) and all(isinstance(x, str) and x.strip() for x in value)
    if key in ("rules", "extend-rules"):
        return isinstance(value, list) and value == []  # nothing generated exists on disk
    if key == "as-of":
        if isinstance(value, dt.datetime):
            return False
        if isinstance(value, dt.date):
            return True
        try:
            return isinstance(value, str) and bool(dt.date.fromisoformat(value))
        except ValueError:
            return False
    if key == "fail-on":
        return value in ("error", "warning", "info", "never")
    if key == "lang":
        return value in ("ja", "en")
    return isinstance(value, str) and bool(value.strip()) and "\x00" not in value  # baseline


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=_KEY_TEXT.filter(lambda k: k not in config.KEYS), value=_VALUES, kind=st.sampled_from(config.CONFIG_NAMES),
       lang=st.sampled_from(["ja", "en"]))
def test_generated_unknown_keys_are_named_at_their_line_in_either_language(tmp_path_factory, key, value, kind, lang):
    root = tmp_path_factory.mktemp("badkey")
    table = {"as-of": "2017-12-31", key: value}
    data = {"tool": {"roadmap-check": table}} if kind == "pyproject.toml" else table
    path = root / kind
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    with pytest.raises(config.ConfigError) as err:
        config.load(path)
    (problem,) = err.value.problems
    assert re.fullmatch(rf"{re.escape(str(path))}:\d+", problem.where)  # a line, however the key is quoted
    line = int(problem.where.rsplit(":", 1)[1])
    parsed = _parse_line(path.read_text(encoding="utf-8").split("\n")[line - 1:])
    assert key in parsed or key in parsed.get("tool", {}).get("roadmap-check", {})
    text = problem.text(lang)
    assert repr(key) in text
    if lang == "ja":
        assert "不明なキー" in text and ("のことですか?" in text or "使えるキー" in text)
    else:
        assert "unknown key" in text and ("did you mean" in text or "known keys" in text)


def _parse_line(lines: list[str]) -> dict:
    """The keys a value starting at the first of `lines` sets (a multi-line array runs on)."""
    import tomllib

    for end in range(1, len(lines) + 1):
        try:
            return tomllib.loads("\n".join(lines[:end]))
        except tomllib.TOMLDecodeError:
            continue
    return {}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(sorted(config.KEYS)), value=_VALUES, lang=st.sampled_from(["ja", "en"]),
       inline=st.booleans())
@example(key="extend-rules", value=["0\x85"], lang="ja", inline=False)  # U+0085 in a path: still one line
@example(key="as-of", value={"\x85": 0}, lang="en", inline=True)
def test_generated_values_are_read_or_named_with_what_to_write(tmp_path_factory, key, value, lang, inline):
    root = tmp_path_factory.mktemp("badvalue")
    fragment = tomli_w.dumps({key: value})
    if inline:
        args = ["--config", fragment.strip()]
    else:
        (root / "roadmap-check.toml").write_text(fragment, encoding="utf-8")
        args = ["--config", str(root / "roadmap-check.toml")]
    result = CliRunner().invoke(main, ["config", "--lang", lang, *args])
    assert "Traceback" not in result.output and "internal error" not in result.output
    if _well_typed(key, value):
        assert result.exit_code == 0, result.output
        assert re.search(rf"^{re.escape(key)} +=", result.stdout, re.MULTILINE)
        return
    (message,) = errors(result)
    where = "--config " if inline else f"{root / 'roadmap-check.toml'}:1: "
    assert message.startswith(where) and f"{key}: " in message
    if lang == "ja":
        assert JAPANESE.search(message.split(f"{key}: ", 1)[1]) and ("例: " in message or "のことですか?" in message)
    else:
        assert "write e.g. " in message or "did you mean" in message


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_configured_baseline_not_created_yet_says_how_to_make_it(tmp_path, monkeypatch, lang):
    cfg = write(tmp_path / "roadmap-check.toml", f'paths = ["{REPO / "roadmaps"}"]\nas-of = "2017-12-31"\n'
                                                 f'baseline = "ci/debt.json"\nlang = "{lang}"\n')
    monkeypatch.chdir(tmp_path)
    for args in (("lint",), ("baseline", "check")):
        (message,) = errors(cli(*args))
        assert message.startswith(f"{cfg}:3: baseline: {tmp_path / 'ci' / 'debt.json'} ")
        assert ("がまだありません。`roadmap-check baseline create` で作成するか" if lang == "ja" else
                "does not exist yet; create it with `roadmap-check baseline create`") in message
    assert cli("config").exit_code == 0  # showing the settings is not using the baseline
    made = cli("baseline", "create")
    assert made.exit_code == 0 and (tmp_path / "ci" / "debt.json").is_file()
    assert cli("lint").exit_code == 0  # every finding is in the baseline now


def test_rules_commands_speak_the_configured_language(tmp_path, monkeypatch):
    write(tmp_path / "roadmap-check.toml", 'lang = "ja"\n')
    monkeypatch.chdir(tmp_path)
    listed = cli("rules", "list").stdout
    assert "目標" in listed or JAPANESE.search(listed)
    assert not JAPANESE.search(cli("rules", "list", "--lang", "en").stdout)
    missing = cli("rules", "show", "kpi-target-mising")
    assert missing.exit_code == 2 and "ルール 'kpi-target-mising' はありません。kpi-target-missing" in missing.stderr


@pytest.mark.parametrize("key", ["paths", "baseline"])
def test_a_configured_name_too_long_for_the_file_system_is_exit_2_not_an_internal_error(tmp_path, monkeypatch, key):
    name = "x" * 300  # ENAMETOOLONG: the file system refuses the name rather than saying it is absent
    write(tmp_path / "roadmap-check.toml", f'{key} = {json_value(key, name)}\nas-of = "2017-12-31"\n')
    monkeypatch.chdir(tmp_path)
    result = cli("lint", *(() if key == "paths" else (str(REPO / "roadmaps"),)))
    assert result.exit_code == 2 and "internal error" not in result.output and "Traceback" not in result.output
    assert "File name too long" in result.output
    assert cli("lint", name, "--isolated").exit_code == 2  # the same name on the command line


def json_value(key: str, name: str) -> str:
    return f'["{name}"]' if key == "paths" else f'"{name}"'
