"""APA citations: in-text forms and the reference list, Thai sources first (APA, 2020, 7th ed.)."""

from analysis.report.citations import WORKS, cite, in_text, reference_list


def test_in_text_forms():
    assert in_text("Best, J. W. (1977). Research in education (3rd ed.). Prentice-Hall.") == "Best, 1977"
    assert (
        in_text("George, D., & Mallery, P. (2003). SPSS for Windows step by step.")
        == "George & Mallery, 2003"
    )
    assert in_text(WORKS["feldt1987"]) == "Feldt et al., 1987"
    assert in_text("บุญชม ศรีสะอาด. (2545). การวิจัยเบื้องต้น (พิมพ์ครั้งที่ 7). สุวีริยาสาส์น.") == "บุญชม ศรีสะอาด, 2545"
    assert cite("Hu, L., & Bentler, P. M. (1999). Cutoff criteria.") == "(Hu & Bentler, 1999)"
    assert cite("") == "" and in_text("a note without a year") == "a note without a year"


def test_reference_list_holds_what_is_cited_thai_first():
    thai = "บุญชม ศรีสะอาด. (2545). การวิจัยเบื้องต้น (พิมพ์ครั้งที่ 7). สุวีริยาสาส์น."
    texts = ["ค่าแอลฟา (Cronbach, 1951) และเกณฑ์ (บุญชม ศรีสะอาด, 2545)", "fit (Hu & Bentler, 1999)"]
    listed = reference_list(texts, [thai, "Best, J. W. (1977). Research in education."])
    assert listed == [thai, WORKS["cronbach1951"], WORKS["hu1999"]]  # Best is not cited: not listed
