"""KPIs and reports: the BCCI criteria and QĐ 766 indicators, the HTML report, catalog audits.

* :mod:`tthc.kpi.indicators` — combinable KPI counts and :func:`compute_kpis`.
* :mod:`tthc.kpi.periods` — the months a KPI run keeps, and the days a range of months covers.
* :mod:`tthc.kpi.report_html` — the self-contained HTML report (Vietnamese by default).
* :mod:`tthc.kpi.agency_names` — agency names: a name file, the catalog, the bundled province list.
* :mod:`tthc.kpi.labels` — indicator names, ratios, thresholds and ✓ / ✗ marks in the reader's language.
* :mod:`tthc.kpi.export` — the KPI table as CSV and XLSX.
* :mod:`tthc.kpi.audit` — catalog audits the provincial letters ask for.
"""

import lazy_loader as _lazy

# the names listed in __init__.pyi, each loaded from its module on first use
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
