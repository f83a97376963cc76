"""KPIs and reports: the BCCI criteria and QĐ 766 indicators, the HTML report, catalog audits.

* :mod:`tthc.kpi.indicators` — combinable KPI counts and :func:`compute_kpis`.
* :mod:`tthc.kpi.report_html` — the self-contained HTML report.
* :mod:`tthc.kpi.audit` — catalog audits the provincial letters ask for.
"""

from __future__ import annotations

from tthc.kpi.audit import (
    AUDIT_CODES,
    AuditFinding,
    audit_catalog,
)
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
    render_html,
)

__all__ = [
    "AUDIT_CODES",
    "INDICATORS",
    "AuditFinding",
    "Indicator",
    "IndicatorRule",
    "KpiOptions",
    "KpiPartial",
    "KpiRules",
    "Period",
    "audit_catalog",
    "compute_kpis",
    "render_html",
]
