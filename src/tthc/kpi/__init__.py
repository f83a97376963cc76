"""KPIs and reports: the BCCI criteria and QĐ 766 indicators, the HTML report, catalog audits.

* :mod:`tthc.kpi.indicators` — combinable KPI counts and :func:`compute_kpis`.
* :mod:`tthc.kpi.report_html` — the self-contained HTML report (Vietnamese by default).
* :mod:`tthc.kpi.agency_names` — agency names: a name file, the catalog, the bundled province list.
* :mod:`tthc.kpi.labels` — indicator names, ratios, thresholds and ✓ / ✗ marks in the reader's language.
* :mod:`tthc.kpi.export` — the KPI table as CSV and XLSX.
* :mod:`tthc.kpi.audit` — catalog audits the provincial letters ask for.
"""

from __future__ import annotations

from tthc.kpi.agency_names import AgencyNames
from tthc.kpi.audit import (
    AUDIT_CODES,
    AuditFinding,
    audit_catalog,
)
from tthc.kpi.export import kpi_table, write_kpi_csv, write_kpi_xlsx
from tthc.kpi.indicators import (
    INDICATORS,
    Indicator,
    IndicatorRule,
    KpiOptions,
    KpiPartial,
    KpiRules,
    Period,
    compute_kpis,
)
from tthc.kpi.report_html import (
    MIN_DOSSIERS,
    render_html,
)

__all__ = [
    "AUDIT_CODES",
    "INDICATORS",
    "MIN_DOSSIERS",
    "AgencyNames",
    "AuditFinding",
    "Indicator",
    "IndicatorRule",
    "KpiOptions",
    "KpiPartial",
    "KpiRules",
    "Period",
    "audit_catalog",
    "compute_kpis",
    "kpi_table",
    "render_html",
    "write_kpi_csv",
    "write_kpi_xlsx",
]
