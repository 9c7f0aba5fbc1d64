"""Text extractions in the forms the seed shows, on invented tables: <p> cells, shifted rows, several
extractions of one document, Shift_JIS, and files that hold no table."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.domain.load import LoadedDocument, load_file
from checker.importer.run import Options, run

HEAD = ("\t集中改革期間\t\t\t2019年度\t2020年度～\tKPI(第一階層)\tKPI(第二階層)\n"
        "\t～2016年度 《主担当府省庁等》\t2017年度\t2018年度\t\t\t\t\n")
TITLE = "経済・財政再生計画 改革工程表 2016改定版(平成28年12月21日)\n\n"


def _import(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "x.txt"):
    src = tmp_path / name
    src.write_bytes(text.encode(encoding))
    outcome = run([str(src)], Options(tmp_path / "out", force=True))
    docs = {}
    for f in outcome.written:
        loaded = load_file(f)
        assert isinstance(loaded, LoadedDocument), loaded
        docs[loaded.model.document.id] = loaded.model
    return outcome, docs


def test_p_cells_are_placed_by_their_words_as_guesses(tmp_path):
    cells = ["＜③医療費の見える化＞", "○2016年度 医療費データの分析手法を整理", "左記の手法により都道府県別に公表",
             "公表結果を踏まえた取組を促進", "前年度の取組状況を把握し、所要の措置", "《厚生労働省保険局》"]
    body = "社会保障\t" + " ".join(f"<p>{c}</p>" for c in cells) + "\t\t\t\t\t・医療費の地域差【目標：半減】\t\n"
    outcome, docs = _import(tmp_path, TITLE + HEAD + body)
    assert outcome.exit_code == 1
    doc = docs["kaikaku-2016-social-security"]
    item = doc.reform_items[0]
    assert (item.number, item.title, item.responsible) == (3, "医療費の見える化", ["厚生労働省保険局"])
    assert [(s.text[:7], s.fiscal_years) for s in item.schedule] == [
        ("○2016年度", [2016]), ("左記の手法によ", [2017]), ("公表結果を踏ま", [2017]), ("前年度の取組状", [2018])]
    assert [k.text for k in item.kpis] == ["・医療費の地域差【目標：半減】"]
    text = (tmp_path / "out" / "kaikaku-2016-social-security.yaml").read_text(encoding="utf-8")
    assert text.count("the source gives no column") == 4
    assert "# line 5, field 2, <p> 3" in text


def test_a_row_with_a_field_missing_before_its_kpis_is_realigned(tmp_path):
    body = ("IT化と業務改革、行政改革等\t<①行政手続の電子化>\t\t\t\t\t\t\n"
            "\t申請様式を見直し\t電子申請を開始\t利用を拡大\t・電子申請率【2015年度：10% 目標：2018年度までに50%】"
            "\t・事務コスト【目標：2割削減】\t\n"
            "\t《総務省行政管理局》\t\t\t\t\t\t\n")
    outcome, docs = _import(tmp_path, TITLE + HEAD + body)
    item = docs["kaikaku-2016-it"].reform_items[0]
    assert [(s.text, s.fiscal_years) for s in item.schedule] == [
        ("申請様式を見直し", [2016]), ("電子申請を開始", [2017]), ("利用を拡大", [2018])]
    assert [(k.tier, k.text[:6]) for k in item.kpis] == [(1, "・電子申請率"), (2, "・事務コスト")]
    assert any("KPI cells found under 2019年度" in g and "moved 2 column(s) right" in g for g in outcome.guesses)


def test_several_extractions_of_one_document_keep_the_majority_reading(tmp_path):
    def table(cell: str) -> str:
        return TITLE + HEAD + f"IT化と業務改革、行政改革等\t<①行政手続の電子化>\t\t\t\t\t\t\n\t{cell}\t\t\t\t\t\t\n\n"

    outcome, docs = _import(tmp_path, table("申請様式を見直し") + table("申請様式を見直す") + table("申請様式を見直す"))
    assert list(docs) == ["kaikaku-2016-it"]
    assert [s.text for s in docs["kaikaku-2016-it"].reform_items[0].schedule] == ["申請様式を見直す"]
    assert any("kept 「申請様式を見直す」 (2 of 3 readings)" in g for g in outcome.guesses)


def test_shift_jis_extractions_read_alike(tmp_path):
    text = TITLE + HEAD + "IT化と業務改革、行政改革等\t<⑮自治体クラウド>\t\t\t\t\t\t\n\t取組事例を分析～整理\t\t\t\t\t\t\n"
    _, utf8 = _import(tmp_path, text)
    _, sjis = _import(tmp_path, text, "cp932", "sjis.txt")
    assert utf8["kaikaku-2016-it"].reform_items == sjis["kaikaku-2016-it"].reform_items
    assert utf8["kaikaku-2016-it"].reform_items[0].schedule[0].text == "取組事例を分析～整理"


def test_files_without_tables(tmp_path):
    outcome, docs = _import(tmp_path, "議事録\n\n本日の会議では…\n")
    assert outcome.exit_code == 2 and not docs
    assert "no 改革工程表, 改革工程の進捗状況 or KPIの状況 table found" in outcome.errors[0]
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    outcome = run([str(binary)], Options(tmp_path / "out2"))
    assert outcome.exit_code == 2 and "binary content" in outcome.errors[0]


_LINES = st.lists(st.one_of(
    st.sampled_from(["経済・財政再生計画 改革工程表 2016改定版(平成28年12月21日)", "改革工程の進捗状況", "KPIの状況",
                     "重要課題：地方の財政", "改革項目：⑮業務の簡素化", HEAD.splitlines()[0], HEAD.splitlines()[1],
                     "改革工程\t改革工程の進捗\t", "\t計画期間中の進捗\t今後の進展について", "KPI\t目標値\tKPIの進捗",
                     "\t\t実績値 (時点)\t区分\t次回", "", "\t《総務省》\t\t"]),
    st.lists(st.sampled_from(["", "<⑮題名>", "・指標【目標：倍増】", "<p>＜①題＞</p> <p>左記の実施</p>", "【総務省】実施。(順調)",
                              "第一階層 指標", "948団体 (2017年4月1日)", "A", "Z", "-", "《内閣府・総務省》", "○2016年度 取組",
                              "通常国会 年末", "取組を推進 次の取組を実施"]), max_size=9).map("\t".join)),
    max_size=25)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=_LINES)
def test_any_arrangement_of_table_lines_imports_or_says_why(tmp_path, lines):
    """Shuffled titles, headers and cells: every document written loads, and nothing raises."""
    src = tmp_path / "any.txt"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = run([str(src)], Options(tmp_path / "out", force=True))
    assert not [e for e in outcome.errors if "internal error" in e or "does not load" in e], outcome.errors
    for f in outcome.written:
        assert isinstance(load_file(f), LoadedDocument)
