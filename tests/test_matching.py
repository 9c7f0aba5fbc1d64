"""Graded fuzzy matching of claims against candidates: the seed's measurements, and properties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.checks.reference import claim_parts
from checker.domain.matching import CandidateIndex, Thresholds, describe_difference
from checker.domain.normalize import normalize_for_match

CELLS = [
    "自治体に対し、左記の深掘り・分析及び整理・類型化の結果を具体的に分かりやすく助言・提供し、普及促進を徹底",
    "複数団体による自治体クラウドの導入を、地方交付税措置により重点的に支援",
    "・庁室と総務省が、市町村を中心に首長を直接訪問し、自治体クラウド導入の具体的な検討を働きかけ",
    "・都道府県に対しても、具体的な動きが見えてきた市町村の取組を支援するよう働きかけ",
    "自治体クラウド導入を通じた業務の簡素化・標準化の推進",
    "都道府県における情報システム運用コストの削減に向けた方策を調査・研究",
]
INDEX = CandidateIndex([normalize_for_match(c) for c in CELLS])


def match(claim: str):
    return INDEX.match(claim_parts(claim, True, "text"))


def test_verbatim_quote_is_exact():
    result = match("都道府県における情報システム運用コストの削減に向けた方策を調査・研究")
    assert result.grade == "exact" and result.parts[0].candidate == 5


def test_pdf_spaces_and_bullets_do_not_matter():
    assert match("・都道府県における情報システム運用コ ストの削減に向けた方策を調査・研究").grade == "exact"


def test_two_cells_joined_by_a_bullet_match_each_part():
    claim = ("・IT室と総務省が、市町村を中心に首長を直接訪問し、自治体クラウド導入の具体的な検討を働きかけ "
             "・都道府県に対しても、具体的な動きが見えてきた市町村の取組を支援するよう働きかけ")
    result = match(claim)
    assert [p.candidate for p in result.parts] == [2, 3]
    assert [p.grade for p in result.parts] == ["near", "exact"]
    assert result.grade == "near"
    near = result.parts[0]
    assert describe_difference(near.part, INDEX.texts[near.candidate]) == "「IT」→「庁」"


def test_altered_claim_is_near_not_exact():
    result = match("都道府県における情報システム運用コストの削減に向けた方策の調査結果を公表")
    assert result.grade == "near"
    assert 80 <= result.score < 100


def test_unrelated_sentence_matches_nothing():
    result = match("マイナンバーカードの普及に向けた広報を全国で展開する")
    assert result.grade == "none"
    assert result.score < 40


def test_partial_quote_of_a_cell_counts_as_exact():
    assert match("地方交付税措置により重点的に支援").grade == "exact"


def test_short_fragment_is_not_a_partial_quote():
    assert match("支援").grade != "exact"


def test_empty_index_grades_none():
    assert CandidateIndex([]).match(["何か"]).grade == "none"


def test_difference_is_listed_in_order():
    assert describe_difference("把握、「見える化」", "把握「見える化」") == "-「、」"
    assert describe_difference("abc", "abXc") == "+「X」"


def test_large_index_shortlists_instead_of_scoring_everything():
    cells = [f"第{i}号施策として地域{i % 97}の情報システム{i}を調査し結果{i * 7}を公表" for i in range(5000)]
    index = CandidateIndex([normalize_for_match(c) for c in cells], Thresholds())
    assert len(index.shortlist(normalize_for_match(cells[1234]))) <= Thresholds().shortlist
    assert index.best(normalize_for_match(cells[1234])).candidate == 1234
    altered = cells[4321].replace("公表", "報告")
    best = index.best(normalize_for_match(altered))
    assert best.candidate == 4321 and best.grade == "near"


_JP = st.text(alphabet=st.sampled_from(list("自治体クラウド導入の推進都道府県市町村調査研究支援助言提供")), min_size=12,
              max_size=60)


@settings(max_examples=150, deadline=None)
@given(st.lists(_JP, min_size=1, max_size=30, unique=True), st.data())
def test_every_candidate_matches_itself_exactly(cells, data):
    norm = [normalize_for_match(c) for c in cells]
    index = CandidateIndex(norm)
    i = data.draw(st.integers(0, len(cells) - 1))
    best = index.best(norm[i])
    assert best.grade == "exact"
    assert index.texts[best.candidate] == norm[i]


@settings(max_examples=150, deadline=None)
@given(st.lists(_JP, min_size=1, max_size=30), _JP)
def test_matching_is_deterministic_and_in_range(cells, claim):
    index = CandidateIndex([normalize_for_match(c) for c in cells])
    a = index.match(claim_parts(claim, True, "text"))
    b = CandidateIndex([normalize_for_match(c) for c in cells]).match(claim_parts(claim, True, "text"))
    assert a == b
    assert all(0 <= p.score <= 100 for p in a.parts)
