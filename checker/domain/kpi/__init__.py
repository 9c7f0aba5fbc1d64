"""The KPI text parser's parts: phrase vocabulary, dates, and target clauses (checker.domain.kpi_text is the API)."""
