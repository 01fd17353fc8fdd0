"""The dashboard page ships inside the package (issue 12): every file under its static folder is matched by
pyproject's package-data, so a non-editable install (the Dockerfile's `pip install .`) serves all of it."""

import tomllib
from pathlib import Path

from adapters.inbound.http.page import PAGE_DIR

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "adapters" / "inbound" / "http"


def test_every_file_of_the_page_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["adapters.inbound.http"]
    shipped = {p for pattern in patterns for p in PACKAGE_DIR.glob(pattern) if p.is_file()}
    on_disk = {p for p in PAGE_DIR.rglob("*") if p.is_file()}
    assert on_disk and on_disk == shipped, sorted(str(p.relative_to(PAGE_DIR)) for p in on_disk ^ shipped)
