"""Write the cleaned example data that R reads to make the reference values.

Run from the repository root (after changing the example export or the cleaning):
    uv run python tests/reference/export_example.py && Rscript tests/reference/make_fixtures.R
The output holds pseudonymous ids and scored answers only: no personal data.
"""

from analysis import paths
from analysis.config.codebook import load_codebook
from analysis.config.study import load_study
from analysis.data.cleaning import clean_export
from analysis.data.reading import read_export

HERE = paths.PROJ_ROOT / "tests" / "reference"

if __name__ == "__main__":
    codebook = load_codebook(paths.EXAMPLE_CODEBOOK)
    study = load_study(paths.EXAMPLE_STUDY)
    result = clean_export(read_export(paths.EXAMPLE_DATA), codebook, study)
    columns = ["respondent_id", "cycle", "group", *codebook.item_codes]
    result.data[columns].to_csv(HERE / "example_processed.csv", index=False, lineterminator="\n")
