"""The public names of :mod:`tthc.kpi`, listed once.

Type checkers read this stub; at run time ``__init__.py`` hands it to ``lazy_loader.attach_stub``, which loads each
name from its module on first use (so importing one module of the package does not import the others).
"""

__all__: list[str]

from .agency_names import AgencyNames as AgencyNames
from .audit import AUDIT_CODES as AUDIT_CODES
from .audit import AuditFinding as AuditFinding
from .audit import audit_catalog as audit_catalog
from .export import kpi_table as kpi_table
from .export import write_kpi_csv as write_kpi_csv
from .export import write_kpi_xlsx as write_kpi_xlsx
from .indicators import INDICATORS as INDICATORS
from .indicators import Indicator as Indicator
from .indicators import IndicatorRule as IndicatorRule
from .indicators import KpiOptions as KpiOptions
from .indicators import KpiPartial as KpiPartial
from .indicators import KpiRules as KpiRules
from .indicators import Period as Period
from .indicators import compute_kpis as compute_kpis
from .report_html import MIN_DOSSIERS as MIN_DOSSIERS
from .report_html import render_html as render_html
