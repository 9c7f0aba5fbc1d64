"""Pydantic models of the three document kinds (roadmap, progress_report, kpi_status); no I/O.

Text fields hold the source text verbatim. Structured fields sit beside the text; every
model forbids unknown keys so that a misspelt key is reported rather than ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from checker.domain.normalize import fiscal_year_bounds
from checker.domain.typed_values import to_date, to_float, to_int, to_int_list

DocumentKind = Literal["roadmap", "progress_report", "kpi_status"]
KpiCategory = Literal["A", "B", "N", "F"]

# Typed values as editors write them (2017/4/1, 平成29年4月1日, full-width digits): read before validation,
# at the path they were written at, so a finding about one still points at its source.
# The editor schema (checker/schemas/data.schema.json) accepts the same forms, so that an editor does not
# underline what the checker reads.
_DIGITS = {"type": "string", "pattern": "^\\s*[+-]?[0-9０-９,，]+(\\.[0-9０-９]*)?\\s*$"}
Date = Annotated[dt.date, BeforeValidator(to_date), WithJsonSchema({
    "type": "string", "description": "YYYY-MM-DD; also 2017/4/1, 2017年4月1日, 平成29年4月1日, 令和元年5月1日.",
    "pattern": "^\\s*([0-9０-９]{4}\\s*[-/.年]|(明治|大正|昭和|平成|令和|㍾|㍽|㍼|㍻|㋿|[MTSHR])\\s*(元|[0-9０-９]{1,2}))"})]
Int = Annotated[int, BeforeValidator(to_int), WithJsonSchema({"anyOf": [{"type": "integer"}, _DIGITS]})]
ItemNumber = Annotated[int, BeforeValidator(to_int), WithJsonSchema(
    {"anyOf": [{"type": "integer", "minimum": 1}, _DIGITS]})]
Float = Annotated[float, BeforeValidator(to_float), WithJsonSchema({"anyOf": [{"type": "number"}, _DIGITS]})]
Years = Annotated[list[int], BeforeValidator(to_int_list), WithJsonSchema(
    {"type": "array", "items": {"anyOf": [{"type": "integer"}, _DIGITS]}})]
Tier = Annotated[Literal[1, 2], BeforeValidator(to_int), WithJsonSchema(
    {"anyOf": [{"enum": [1, 2]}, {"type": "string", "pattern": "^\\s*[12１２]\\s*$"}]})]


class Strict(BaseModel):
    """Base for every data model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class YearRange(Strict):
    """An inclusive range of fiscal years (年度), e.g. the 集中改革期間 FY2016–FY2018."""

    first: Int = Field(description="First fiscal year (西暦).")
    last: Int = Field(description="Last fiscal year (西暦), inclusive.")

    @model_validator(mode="after")
    def _ordered(self) -> YearRange:
        if self.last < self.first:
            raise ValueError(f"last ({self.last}) is before first ({self.first})")
        return self


class DocumentMeta(Strict):
    """The `document:` header shared by every kind."""

    id: str = Field(min_length=1, description="Unique id across the corpus, e.g. kaikaku-2016-it.")
    kind: DocumentKind = Field(description="roadmap (改革工程表), progress_report (進捗状況) or kpi_status (KPIの状況).")
    title: str = Field(description="Title as printed, verbatim.")
    published: Date | None = Field(default=None, description="Publication date (西暦).")
    published_text: str | None = Field(default=None, description="The date as printed, e.g. 平成28年12月21日.")
    revision: Int | None = Field(default=None, description="Edition of the roadmap this document is or reviews.")
    supersedes: str | None = Field(default=None, description="Id of the earlier edition this one replaces.")
    reports_on: str | None = Field(default=None, description="Id of the roadmap a review reports on.")
    area: str | None = Field(default=None, description="Policy area (分野), e.g. IT化と業務改革、行政改革等.")
    key_issue: str | None = Field(default=None, description="重要課題 heading, verbatim.")
    variant: str | None = Field(default=None, description="Which listing of a document this is (e.g. re-listing).")
    fiscal_years: YearRange | None = Field(default=None, description="Years the schedule columns cover.")
    reform_period: YearRange | None = Field(default=None, description="集中改革期間.")
    covers: YearRange | None = Field(default=None, description="Fiscal years a review reports on.")
    source: str | None = Field(default=None, description="Where in the source text this document was read.")


# ---------------------------------------------------------------- KPI fields


class Baseline(Strict):
    """The starting point (基準値) of a KPI, e.g. 2014年度：550団体. Not the baseline file: see engine/accepted."""

    value: Float = Field(description="The starting value (550団体 → 550).")
    unit: str | None = Field(default=None, description="Its unit as written, e.g. 団体, %.")
    fiscal_year: Int | None = Field(default=None, description="Fiscal year of the value (2014年度 → 2014).")


class Target(Strict):
    """What a KPI aims at: an absolute value, a relative change (倍増, 3割圧縮) or a direction (増加)."""

    kind: Literal["absolute", "relative", "direction", "recurring", "maintain"] = Field(
        description="absolute (70%), relative (3割削減), direction (増加), recurring (毎年度90%: due every "
                    "year), maintain (水準を維持).")
    value: Float | None = Field(default=None, description="Absolute target value (約1,000団体 → 1000).")
    unit: str | None = Field(default=None, description="Unit of the value as written, e.g. 団体, %.")
    change: Float | None = Field(default=None, description="Relative change: 倍増 → +1.0, 3割圧縮 → -0.3.")
    direction: Literal["increase", "decrease"] | None = Field(default=None, description="Which way the KPI must move.")
    approximate: bool = Field(default=False, description="True when the source says 約.")
    bound: Literal["at_least", "at_most", "above", "below"] | None = Field(
        default=None, description="A threshold: 以上 at_least, 以下 at_most, 超 above, 未満 below.")
    cumulative: bool = Field(default=False, description="A total over several years (4年間で約30兆円).")
    scope: str | None = Field(default=None, description="The part of the population it is set for (小学校で).")
    reference_year: Int | None = Field(default=None, description="The year a change is measured from (2016年度比).")
    text: str = Field(description="The target as written.")


class Deadline(Strict):
    """When a KPI target must be met; `fiscal_year` and `date` are None when no deadline is set."""

    fiscal_year: Int | None = Field(default=None, description="Fiscal year by whose end the target is due.")
    date: Date | None = Field(default=None, description="Date by which the target is due, when a day or month is named.")
    text: str | None = Field(default=None, description="The words that give or withhold the deadline.")

    @property
    def is_set(self) -> bool:
        """True when a fiscal year or date is given (False for a withheld deadline such as …に設定)."""
        return self.fiscal_year is not None or self.date is not None

    @property
    def last_day(self) -> dt.date | None:
        """The last day the deadline allows: its date, else the end of its fiscal year (31 March after)."""
        if self.date is not None:
            return self.date
        return fiscal_year_bounds(self.fiscal_year)[1] if self.fiscal_year is not None else None


class Kpi(Strict):
    """One KPI of a reform item. `text` is verbatim; the other fields, when written, win over the text."""

    tier: Tier = Field(description="1 = 第一階層 (output), 2 = 第二階層 (outcome).")
    text: str = Field(description="The KPI as printed, verbatim.")
    name: str | None = Field(default=None, description="The KPI's name, when written out (else read from the text).")
    baseline: Baseline | None = Field(default=None, description="Starting point, when written out.")
    target: Target | None = Field(default=None, description="Target, when written out.")
    deadline: Deadline | None = Field(default=None, description="Deadline of the target, when written out.")
    relisted: bool | None = Field(default=None, description="再掲: listed again from another area.")
    ex_post: bool | None = Field(default=None, description="事後的に検証する指標.")


# ---------------------------------------------------------------- roadmap


class ScheduleItem(Strict):
    """One cell of the schedule table (工程表)."""

    id: str = Field(min_length=1, description="Stable id within the reform item, e.g. s1.")
    text: str = Field(description="The cell text, verbatim.")
    fiscal_years: Years = Field(default_factory=list, description="Fiscal years the cell spans.")
    responsible: list[str] = Field(default_factory=list, description="Own 主担当; empty inherits the item's.")


class ReformItem(Strict):
    """A reform item (改革項目) of a roadmap, e.g. ⑮."""

    number: ItemNumber = Field(ge=1, description="The circled number: ⑮ → 15.")
    title: str = Field(description="The reform item's title, verbatim.")
    responsible: list[str] = Field(default_factory=list, description="《主担当府省庁等》, one name each.")
    schedule: list[ScheduleItem] = Field(default_factory=list, description="Cells of the schedule table (工程表).")
    kpis: list[Kpi] = Field(default_factory=list, description="KPIs (第一階層 and 第二階層).")


# ---------------------------------------------------------------- progress report


class Statement(Strict):
    """One 【府省】 statement in a progress cell."""

    ministry: str | None = Field(default=None, description="The ministry in 【】; None when the source omits it.")
    text: str = Field(description="The statement, verbatim, without the 【ministry】 prefix.")
    status: str | None = Field(default=None, description="Status in brackets at the end, e.g. 順調.")


class ProgressEntry(Strict):
    """One row of 改革工程の進捗状況."""

    schedule_item: str = Field(description="The 改革工程 column, verbatim.")
    progress: list[Statement] = Field(default_factory=list, description="計画期間中の進捗.")
    next_steps: list[Statement] = Field(default_factory=list, description="今後の進展について.")


class ProgressReformItem(Strict):
    """A reform item of a progress report (改革工程の進捗状況)."""

    number: ItemNumber = Field(ge=1, description="Number of the roadmap's reform item reported on (⑮ → 15).")
    title: str | None = Field(default=None, description="Its title as the report prints it.")
    entries: list[ProgressEntry] = Field(default_factory=list, description="Rows of the progress table.")


# ---------------------------------------------------------------- KPI status


class Actual(Strict):
    """実績値 (時点)."""

    text: str = Field(description="The value as printed, e.g. 948団体; '-' where none.")
    as_of: Date | None = Field(default=None, description="Date the value was measured (時点).")


class KpiStatusRow(Strict):
    """One row of a KPIの状況 table."""

    tier: Tier = Field(description="1 = 第一階層, 2 = 第二階層.")
    name: str = Field(description="The KPI name as printed, verbatim.")
    target: str = Field(description="目標値 (達成時期), verbatim; '-' where none.")
    actual: Actual | None = Field(default=None, description="実績値 (時点).")
    category: KpiCategory | None = Field(default=None, description="区分 A/B/N/F.")
    next: str | None = Field(default=None, description="次回の把握時期と今後の方針.")


class KpiStatusReformItem(Strict):
    """A reform item of a KPI status table (KPIの状況)."""

    number: ItemNumber = Field(ge=1, description="Number of the roadmap's reform item reported on (⑮ → 15).")
    title: str | None = Field(default=None, description="Its title as the table prints it.")
    kpis: list[KpiStatusRow] = Field(default_factory=list, description="Rows of the table, one per KPI.")


# ---------------------------------------------------------------- documents


class RoadmapDocument(Strict):
    document: DocumentMeta
    reform_items: list[ReformItem] = Field(default_factory=list)


class ProgressReportDocument(Strict):
    document: DocumentMeta
    reform_items: list[ProgressReformItem] = Field(default_factory=list)


class KpiStatusDocument(Strict):
    document: DocumentMeta
    reform_items: list[KpiStatusReformItem] = Field(default_factory=list)


Document = Annotated[
    RoadmapDocument | ProgressReportDocument | KpiStatusDocument, Field(description="Any document kind.")
]

MODEL_BY_KIND: dict[str, type[BaseModel]] = {
    "roadmap": RoadmapDocument,
    "progress_report": ProgressReportDocument,
    "kpi_status": KpiStatusDocument,
}
