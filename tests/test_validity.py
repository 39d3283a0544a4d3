"""Content validity (IOC) and the CFA against lavaan (tests/reference/make_fixtures.R)."""

import pandas as pd
import pytest

from analysis import paths
from analysis.config.ioc import read_expert_ratings
from analysis.errors import PhanatError
from analysis.report.reporting import fit_sentence
from analysis.stats.validity import (
    CfaResult,
    cfa_model_description,
    fit_cfa,
    index_of_congruence,
    judge_fit,
    rmsea_interval,
)
from tests.conftest import REFERENCE


@pytest.fixture(scope="module")
def example_c2() -> pd.DataFrame:
    data = pd.read_csv(REFERENCE / "example_processed.csv")
    return data[data["cycle"] == "C2"]


@pytest.fixture(scope="module")
def cfa(example_c2, codebook) -> CfaResult:
    return fit_cfa(example_c2, codebook)


# --------------------------------------------------------------------------- IOC
def test_ioc_worked_example():
    """IOC = sum of ratings / experts (Rovinelli & Hambleton, 1977): e.g. five experts rating
    +1, +1, +1, 0, +1 give 4/5 = 0.80; +1, 0, 0, -1, +1 give 1/5 = 0.20 (below 0.50)."""
    ratings = pd.DataFrame([[1, 1, 1, 0, 1], [1, 0, 0, -1, 1], [1, 1, 0, 0, 1]], index=["Q1", "Q2", "Q3"])
    table = index_of_congruence(ratings)
    assert table["ioc"].tolist() == pytest.approx([0.8, 0.2, 0.6])
    assert table["acceptable"].tolist() == [True, False, True]
    assert (table["n_experts"] == 5).all()


def test_example_expert_file_reads(codebook):
    ratings = read_expert_ratings(paths.EXAMPLE_DIR / "ioc.csv", codebook)
    assert ratings.shape == (27, 5) and list(ratings.index) == codebook.item_codes


@pytest.mark.parametrize(
    "content, message",
    [
        ("item,e1,e2\nPAR1,1,2\n", r"row 2, column 'e2': rating must be -1, 0 or \+1, not 2"),
        ("item,e1,e2\nPAR1,1,\n", r"row 2, column 'e2': .*not an empty cell"),
        ("item,e1\nXYZ9,1\n", r"row 2, column 'item': item 'XYZ9' is not in the codebook"),
        ("item,e1\nPAR1,1\nPAR1,0\n", r"row 3, column 'item': .*rated twice"),
        ("code,e1\nPAR1,1\n", r"first column must be 'item'"),
        ("item\nPAR1\n", r"at least one expert column"),
        ("", r"cannot read the expert-rating file"),
    ],
)
def test_bad_expert_file_is_one_clear_error(tmp_path, codebook, content, message):
    path = tmp_path / "ioc.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PhanatError, match=message) as err:
        read_expert_ratings(path, codebook)
    assert "ioc.csv" in str(err.value)


def test_ioc_accepts_plus_signs_and_xlsx(tmp_path, codebook):
    frame = pd.DataFrame({"item": ["PAR1", "PAR2"], "e1": ["+1", "0"], "e2": ["1", "-1"]})
    frame.to_excel(tmp_path / "ioc.xlsx", index=False)
    ratings = read_expert_ratings(tmp_path / "ioc.xlsx", codebook)
    assert ratings.loc["PAR1"].tolist() == [1, 1] and ratings.loc["PAR2"].tolist() == [0, -1]


# --------------------------------------------------------------------------- CFA
def test_model_syntax(codebook):
    first = cfa_model_description(codebook).splitlines()[0]
    assert first == "PAR =~ PAR1 + PAR2 + PAR3 + PAR4 + PAR5"


def test_cfa_matches_lavaan(cfa, reference):
    """lavaan::cfa(estimator = "ML") to its convergence: chi-square within 1e-6 (of ~400),
    the indices within 1e-7, standardized loadings within 1e-5."""
    ref = reference["cfa"]
    fit = ref["fit"]
    assert cfa.fitted and cfa.n_obs == ref["n_obs"] and cfa.df == fit["df"]
    assert cfa.chi2 == pytest.approx(fit["chisq"], abs=1e-6)
    for ours, key in [
        ("cfi", "cfi"),
        ("tli", "tli"),
        ("rmsea", "rmsea"),
        ("rmsea_ci_low", "rmsea.ci.lower"),
        ("rmsea_ci_high", "rmsea.ci.upper"),
        ("srmr", "srmr"),
        ("p_value", "pvalue"),
    ]:
        assert getattr(cfa, ours) == pytest.approx(fit[key], abs=1e-7), ours
    theirs = {(r["factor"], r["item"]): r["std_loading"] for r in ref["loadings"]}
    assert len(cfa.loadings) == len(theirs) == 27
    for row in cfa.loadings:
        assert row["std_loading"] == pytest.approx(theirs[(row["dimension"], row["item"])], abs=1e-5)


def test_rmsea_interval_matches_lavaan_given_its_chi_square(reference):
    fit, n = reference["cfa"]["fit"], reference["cfa"]["n_obs"]
    point, low, high = rmsea_interval(fit["chisq"], int(fit["df"]), n)
    assert (point, low, high) == pytest.approx(
        (fit["rmsea"], fit["rmsea.ci.lower"], fit["rmsea.ci.upper"]), abs=1e-6
    )
    # a perfectly fitting model: chi-square below df gives 0 and a lower bound of 0
    assert rmsea_interval(10.0, 20, 300)[:2] == (0.0, 0.0)


def test_fit_sentence_names_indices_and_cutoffs(cfa):
    assert cfa.meets == {"cfi": True, "tli": True, "rmsea": True, "srmr": True}
    en, th = fit_sentence(cfa, "en"), fit_sentence(cfa, "th")
    assert en.startswith("A confirmatory factor analysis showed that the measurement model fitted the data")
    assert "Hu & Bentler, 1999" in en
    assert f"CFI = {cfa.cfi:.3f}" in en and f"CFI = {cfa.cfi:.3f}" in th
    bad = CfaResult(**{**cfa.as_dict(), "cfi": 0.90, "tli": 0.88})
    bad = CfaResult(**{**bad.as_dict(), "meets": judge_fit(bad)})
    assert "but not on CFI, TLI" in fit_sentence(bad, "en") and "CFI, TLI ไม่ผ่านเกณฑ์" in fit_sentence(
        bad, "th"
    )


def test_small_sample_is_a_code_said_in_both_languages(example_c2, codebook):
    small = fit_cfa(example_c2.head(150), codebook)
    assert small.fitted and small.warning_codes == [("small_sample", small.n_obs, 200)]
    assert fit_sentence(small, "en").endswith(
        f"With {small.n_obs} complete responses, fewer than 200, read the fit indices with care."
    )
    assert fit_sentence(small, "th").endswith(
        f"ทั้งนี้ จำนวนผู้ตอบครบทุกข้อ ({small.n_obs} คน) น้อยกว่า 200 คน จึงควรแปลผลดัชนีความสอดคล้องด้วยความระมัดระวัง"
    )


def test_a_model_missing_every_cutoff_is_said_not_to_fit(cfa):
    worse = CfaResult(**{**cfa.as_dict(), "meets": dict.fromkeys(cfa.meets, False)})
    assert fit_sentence(worse, "en").startswith(
        "A confirmatory factor analysis showed that the measurement model did not fit the data "
        "(CFI, TLI, RMSEA, SRMR outside the cut-offs)"
    )
    assert "โมเดลการวัดไม่สอดคล้องกับข้อมูลเชิงประจักษ์" in fit_sentence(worse, "th")


def test_cfa_not_fitted_is_said(example_c2, codebook):
    few = fit_cfa(example_c2.head(20), codebook)
    assert not few.fitted and few.reason == "too_few_responses" and few.reason_values == [19, 75]
    assert fit_sentence(few, "en") == (
        "The confirmatory factor analysis was not fitted: only 19 complete responses for 75 parameters."
    )
    assert fit_sentence(few, "th") == (
        "ไม่ได้วิเคราะห์องค์ประกอบเชิงยืนยัน เนื่องจากมีผู้ตอบครบทุกข้อเพียง 19 คน น้อยกว่าจำนวนพารามิเตอร์ (75)"
    )
    flat = example_c2.copy()
    flat["PAR1"] = 4.0
    out = fit_cfa(flat, codebook)
    assert not out.fitted and out.reason == "no_variation" and out.reason_values == ["PAR1"]
    assert not hasattr(out, "note")  # codes only: the words are the catalogue's


def test_rmsea_interval_cdfs_are_scipy_stats_own():
    """rmsea_interval uses scipy.special's chdtr/chndtr to spare the kernel importing
    scipy.stats: they are the very functions behind chi2.cdf and ncx2.cdf (equal bits)."""
    from scipy.special import chdtr, chndtr
    from scipy.stats import chi2, ncx2

    for x, df, lam in [(250.3, 314, 1e-12), (1032.7, 314, 700.5), (12.0, 5, 3.25)]:
        assert chdtr(df, x) == chi2.cdf(x, df)
        assert chndtr(x, df, lam) == ncx2.cdf(x, df, lam)
