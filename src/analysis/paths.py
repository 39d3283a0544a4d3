"""Every default path of the project, derived from the project root in one place.

Functions never hard-code these: they take paths as parameters, and the CLI,
the notebooks' ``parameters`` cells and the Makefile use the defaults below.
"""

from __future__ import annotations

from pathlib import Path

PROJ_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJ_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
REPORTS_DIR = PROJ_ROOT / "reports"
TEMPLATES_DIR = REPORTS_DIR / "templates"
GENERATED_DIR = REPORTS_DIR / "_generated"
RESULTS_SCHEMA = PROJ_ROOT / "docs" / "results.schema.json"  # phanat schema, from analysis.results.models

EXAMPLE_DIR = RAW_DIR / "example"
EXAMPLE_DATA = EXAMPLE_DIR / "responses.csv"
EXAMPLE_CODEBOOK = EXAMPLE_DIR / "codebook.yaml"
EXAMPLE_STUDY = EXAMPLE_DIR / "study.yaml"
EXAMPLE_SYNTHETIC_CONFIG = EXAMPLE_DIR / "synthetic.yaml"
EXAMPLE_OUT = PROCESSED_DIR / "example"

# Layout of one run's output folder (``phanat run --out DIR``).
RESULTS_DIR = "results"  # one file per stage: results/<stage>.json (analysis.results.store)
PROCESSED_CSV = "processed/responses_clean.csv"
CLEANING_LOG = "logs/cleaning_log.csv"
TABLES = "tables"
EXECUTED_NOTEBOOKS = "notebooks"
REPORT = "report"
