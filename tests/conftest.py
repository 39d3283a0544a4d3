"""Shared fixtures: the example study, the R reference values, temporary study folders."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import matplotlib as mpl
import pytest

mpl.use("Agg")

from analysis import paths  # noqa: E402
from analysis.config.codebook import load_codebook
from analysis.config.study import load_study

REFERENCE = Path(__file__).parent / "reference"


# Real data need a secret pseudonymisation key from the environment
# (analysis.data.privacy.pseudonym_key): the tests set one, as a researcher would, for the whole
# session (module fixtures and notebook kernels see it too); tests of the refusal remove it.
TEST_KEY = "test-only-pseudonym-key-0123456789"
os.environ["PHANAT_PSEUDONYM_KEY"] = TEST_KEY
os.environ.pop("PHANAT_PSEUDONYM_KEY_FILE", None)


@pytest.fixture(scope="session")
def codebook():
    return load_codebook(paths.EXAMPLE_CODEBOOK)


@pytest.fixture(scope="session")
def study():
    return load_study(paths.EXAMPLE_STUDY)


@pytest.fixture(scope="session")
def reference() -> dict:
    """Values computed with R by tests/reference/make_fixtures.R."""
    return json.loads((REFERENCE / "fixtures.json").read_text(encoding="utf-8"))


def as_list(value) -> list:
    """jsonlite writes a one-element vector as a scalar."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def copy_study_config(target: Path) -> None:
    """Every configuration file of the example study (not its data) into ``target``."""
    for src in sorted(paths.EXAMPLE_DIR.iterdir()):
        if src.is_file() and not src.name.startswith("responses"):
            shutil.copyfile(src, target / src.name)


@pytest.fixture
def study_dir(tmp_path: Path) -> Path:
    """A copy of the example study's configuration in a temporary folder (no data)."""
    target = tmp_path / "study"
    target.mkdir()
    copy_study_config(target)
    return target


@pytest.fixture(scope="module")
def ref() -> dict:
    """Values computed with R by tests/reference/make_fixtures_cycles.R (cycles, invariance)."""
    return json.loads((REFERENCE / "fixtures_cycles.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def panel():
    """The synthetic three-cycle panel of tests/reference/make_cycles_data.py."""
    import pandas as pd

    return pd.read_csv(REFERENCE / "cycles_panel.csv")
