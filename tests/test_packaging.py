"""The wheel holds every module and data file of core/ and tui/ (issue 9: the package list is
typed in pyproject.toml, so a new subpackage could be left out of an install unnoticed)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"core": "calc_tutor/core", "tui": "calc_tutor/tui"}  # source folder → import path
NOT_SHIPPED = ("__pycache__",)


def copy_project(target: Path) -> Path:
    """The files a build reads, copied, so the build writes nothing into the work tree."""
    source = target / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in PACKAGES:
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns(*NOT_SHIPPED))
    return source


def build_wheel(source: Path, out: Path) -> dict[str, bytes]:
    """Build with setuptools' own backend, as pip does: the wheel's files and their bytes."""
    code = "import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))"
    result = subprocess.run([sys.executable, "-c", code, str(out)], cwd=source,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    wheel = out / result.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def source_files(source: Path) -> set[str]:
    """Every file under core/ and tui/, as the wheel should hold it."""
    files = set()
    for folder, installed in PACKAGES.items():
        for path in (source / folder).rglob("*"):
            if path.is_file() and not set(path.parts) & set(NOT_SHIPPED):
                files.add(f"{installed}/{path.relative_to(source / folder).as_posix()}")
    return files


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    target = tmp_path_factory.mktemp("wheel")
    source = copy_project(target)
    out = target / "out"
    return source, build_wheel(source, out)


def test_the_wheel_holds_every_module_and_data_file(built):
    source, wheel = built
    expected = source_files(source)
    assert any(name.endswith(".tcss") for name in expected)  # package data is checked too
    assert sorted(expected - set(wheel)) == []
    for name in expected:  # and each is the file itself
        assert wheel[name] == (source / name.split("/", 1)[1]).read_bytes(), name


def test_nothing_generic_lands_in_site_packages(built):
    _source, wheel = built
    tops = {name.split("/")[0] for name in wheel}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"calc_tutor"}
    (entry_points,) = (data for name, data in wheel.items() if name.endswith("/entry_points.txt"))
    assert "calc-tutor = calc_tutor.tui.cli:main" in entry_points.decode()
