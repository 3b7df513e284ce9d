"""scripts/setup.sh: one environment for both README commands. `./run.sh` after `./test.sh` (or
the other way round) must not install everything again: pip is replaced here by a script that
logs what it is asked to do, in a copy of the project."""

from __future__ import annotations

import shutil
import subprocess

from tests.conftest import ROOT

FAKE_PIP = """#!/bin/sh
echo "$@" >> "$(dirname "$0")/../pip.log"
"""


def _project(tmp_path):
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "setup.sh", project / "scripts" / "setup.sh")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    bin_ = project / ".venv" / "bin"
    bin_.mkdir(parents=True)
    for name, text in (("pip", FAKE_PIP), ("python", "#!/bin/sh\nexit 0\n")):
        (bin_ / name).write_text(text)
        (bin_ / name).chmod(0o755)
    return project


def _setup(project, *args) -> list[str]:
    """Run setup.sh; the pip commands it ran."""
    log = project / ".venv" / "pip.log"
    log.unlink(missing_ok=True)
    proc = subprocess.run(["bash", "scripts/setup.sh", *args], cwd=project, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "setup: ready" in proc.stdout
    return log.read_text().splitlines() if log.exists() else []


def test_run_after_test_installs_nothing(tmp_path):
    project = _project(tmp_path)
    first = _setup(project, "--test")
    assert "install -q -e .[test]" in first
    assert _setup(project) == []  # ./run.sh after ./test.sh
    assert _setup(project, "--test") == []


def test_test_after_run_adds_only_the_extras(tmp_path):
    project = _project(tmp_path)
    assert "install -q -e ." in _setup(project)
    assert _setup(project, "--test") == ["install -q -e .[test]"]  # no pip upgrade, no second environment
    assert _setup(project) == []
    assert _setup(project, "--test") == []


def test_a_changed_pyproject_installs_again(tmp_path):
    project = _project(tmp_path)
    _setup(project, "--test")
    with open(project / "pyproject.toml", "a") as f:
        f.write("\n# a new pin\n")
    assert "install -q -e ." in _setup(project)  # the new pins; the extras come back with ./test.sh
