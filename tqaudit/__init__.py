"""tqaudit: audit machine-translated text.

Finds machine-translation artifacts, identifies languages, scores against references with
sacrebleu and writes reports for people and CI. The library API::

    import tqaudit
    result = tqaudit.audit("feed.tsv")          # or a pandas DataFrame of segments
    result.findings, result.segments, result.summary
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from tqaudit.audit import AuditResult, audit
    from tqaudit.config import Config

__all__ = ["AuditResult", "Config", "__version__", "audit"]

# Where each name of the package lives, imported on first use: a process that only scores
# (a ``score`` worker) or prints the version loads neither the engine, the rules nor pandas.
_HOME = {"audit": "tqaudit.audit", "AuditResult": "tqaudit.audit", "Config": "tqaudit.config"}


class _Package(types.ModuleType):
    """The ``tqaudit`` module itself, with its names imported on first use.

    ``tqaudit.audit`` is the function, as it always was, though a submodule has the same
    name: the import system sets the submodule on its package once it is loaded, and the
    function is kept there instead.
    """

    def __getattr__(self, name: str) -> Any:
        if name not in _HOME:
            raise AttributeError(f"module 'tqaudit' has no attribute {name!r}")
        value = getattr(importlib.import_module(_HOME[name]), name)
        setattr(self, name, value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "audit" and isinstance(value, types.ModuleType):
            value = value.audit  # the submodule tqaudit.audit, just loaded
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
