"""What importing tqaudit costs: names imported on first use, light score workers."""

from __future__ import annotations

import subprocess
import sys

import tqaudit
import tqaudit.scoring


def _modules_after(statement: str) -> set[str]:
    code = f"{statement}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_package_and_a_score_worker_load_neither_pandas_nor_the_engine() -> None:
    from tqaudit.scoring.stats import WORKER_MODULES

    for statement in ("import tqaudit", "import " + ", ".join(WORKER_MODULES)):
        loaded = _modules_after(statement)
        assert "pandas" not in loaded, statement
        assert not {"tqaudit.engine", "tqaudit.rules", "tqaudit.audit"} & loaded, statement


def test_tqaudit_audit_stays_the_function_when_its_module_is_imported() -> None:
    code = (
        "import tqaudit\nimport tqaudit.audit as m\nfrom tqaudit import audit, Config\n"
        "assert callable(tqaudit.audit) and tqaudit.audit is audit and not isinstance(m, type(tqaudit))\n"
        "import pandas as pd\n"
        "r = tqaudit.audit(pd.DataFrame({'target': ['a a']}), Config(select=('RP001',), fail_on='never'))\n"
        "print(len(r.findings))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"


def test_every_exported_name_resolves() -> None:
    for package in (tqaudit, tqaudit.scoring):
        for name in package.__all__:
            assert getattr(package, name) is not None, (package.__name__, name)
    assert tqaudit.scoring.sentence_scores.__module__ == "tqaudit.scoring.stats"


def test_the_scoring_package_resolves_the_names_its_modules_export() -> None:
    # the lazy table of homes names each module's exports: a name added to a module's
    # __all__ and forgotten in the table (or the reverse) fails here
    import importlib

    from tqaudit.scoring import _HOME

    api = importlib.import_module("tqaudit.scoring.api")
    assert {n for n, home in _HOME.items() if home == "api"} == set(api.__all__)
    assert sorted(tqaudit.scoring.__all__) == sorted(_HOME)


def test_the_command_line_loads_jinja2_only_for_an_html_report() -> None:
    assert not {"jinja2", "tqaudit.report.html"} & _modules_after("import tqaudit.cli")
