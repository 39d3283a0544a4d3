"""Write the cleaned two-cycle example data that R reads to make the reference values.

The R fixtures (make_fixtures.R) are computed on a frozen export: the bundled example as it was
with two cycles, made by the project's generator from the frozen settings
``example_2cycles.synthetic.yaml`` with the example's codebook and its study without C3. The
live example (three cycles) can change without moving any R reference value.

Run from the repository root (after changing the cleaning):
    uv run python tests/reference/export_example.py && Rscript tests/reference/make_fixtures.R
The output holds pseudonymous ids and scored answers only: no personal data.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from analysis import paths
from analysis.data.synthetic import write_example

HERE = paths.PROJ_ROOT / "tests" / "reference"
FROZEN_CONFIG = HERE / "example_2cycles.synthetic.yaml"
FROZEN_SHA256 = "59b83c35cb3fb4dd65b25c1b11073f023f49925807983210914ea09292f84d0e"


def frozen_example(folder: Path) -> tuple[Path, Path, Path]:
    """Write the two-cycle example study into ``folder`` (the example's configuration with the
    C3 cycle removed and C2 as report cycle) and its export from the frozen settings; returns
    the paths of the export, the codebook and the study."""
    for src in sorted(paths.EXAMPLE_DIR.iterdir()):
        if src.is_file() and not src.name.startswith("responses"):
            shutil.copyfile(src, folder / src.name)
    study = folder / "study.yaml"
    lines = study.read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if not line.lstrip().startswith("- {code: C3,")]
    lines = [("report_cycle: C2" if line.startswith("report_cycle:") else line) for line in lines]
    study.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copyfile(FROZEN_CONFIG, folder / "synthetic.yaml")
    data = write_example(folder / "synthetic.yaml")
    return data, folder / "codebook.yaml", study


if __name__ == "__main__":
    from analysis.config.codebook import load_codebook
    from analysis.config.study import load_study
    from analysis.data.cleaning import clean_export
    from analysis.data.reading import read_export, sha256_file

    with tempfile.TemporaryDirectory() as tmp:
        data, codebook_path, study_path = frozen_example(Path(tmp))
        assert sha256_file(data) == FROZEN_SHA256, "the generator no longer gives the frozen export"
        codebook = load_codebook(codebook_path)
        result = clean_export(read_export(data), codebook, load_study(study_path))
    columns = ["respondent_id", "cycle", "group", *codebook.item_codes]
    result.data[columns].to_csv(HERE / "example_processed.csv", index=False, lineterminator="\n")
