"""The import-linter contracts hold for the tree, and fail when a layer is violated on purpose.

Each violation is planted in a throw-away copy of the packages, so the check is shown to be able to fail.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["domain", "application", "adapters", "bootstrap", "simulator"]
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    return subprocess.run(  # noqa: S603 - fixed command, test-only
        [LINT_IMPORTS, "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def _copy_tree(tmp_path: Path) -> Path:
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_layer_contracts_hold_for_the_real_tree(tmp_path: Path) -> None:
    result = _lint(_copy_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


VIOLATIONS = [
    ("domain/_planted.py", "import sqlalchemy\n", "Domain is pure"),
    ("domain/_planted.py", "import application.ports\n", "Hexagon layers"),
    ("application/_planted.py", "import aiohttp\n", "Application is framework-free"),
    ("application/_planted.py", "import adapters.outbound\n", "Hexagon layers"),
    ("adapters/inbound/_planted.py", "import adapters.outbound\n", "never import each other"),
    ("adapters/outbound/_planted.py", "import dependency_injector\n", "Only bootstrap knows"),
    ("simulator/_planted.py", "import domain.errors\n", "The simulator imports nothing of ours"),
]


@pytest.mark.parametrize(("path", "code", "contract"), VIOLATIONS)
def test_planted_violation_breaks_its_contract(tmp_path: Path, path: str, code: str, contract: str) -> None:
    tree = _copy_tree(tmp_path)
    (tree / path).write_text(code)
    result = _lint(tree)
    assert result.returncode != 0, f"planting {code!r} in {path} was not caught:\n{result.stdout}"
    broken = [line for line in result.stdout.splitlines() if "BROKEN" in line]
    assert any(contract in line for line in broken), result.stdout
