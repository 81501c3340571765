"""tqaudit: audit machine-translated text.

Finds machine-translation artifacts, identifies languages, scores against references with
sacrebleu and writes reports for people and CI. The library API::

    import tqaudit
    result = tqaudit.audit("feed.tsv")          # or a pandas DataFrame of segments
    result.findings, result.segments, result.summary
"""

from __future__ import annotations

__version__ = "0.1.0"

from tqaudit.audit import AuditResult, audit
from tqaudit.config import Config

__all__ = ["AuditResult", "Config", "__version__", "audit"]
