"""Citations in APA style: in-text ``(Author, year)`` forms and the reference list (บรรณานุกรม).

The works the write-up may cite are listed once here (the methods' statistics) or come from the
study's own files (the ``reference`` of the interpretation criterion and of the reliability
levels). The reference list holds exactly the works whose in-text form appears in the
document, Thai sources first (ordered by the Thai alphabet), then the others alphabetically,
as Thai academic custom has it (American Psychological Association, 2020, *Publication
manual*, 7th ed., ch. 8–9, for the forms).
"""

from __future__ import annotations

import re

from analysis.report.messages import messages

WORKS: dict[str, str] = {
    "cronbach1951": "Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. "
    "*Psychometrika, 16*(3), 297–334.",
    "feldt1987": "Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for "
    "coefficient alpha. *Applied Psychological Measurement, 11*(1), 93–103.",
    "feldt1969": "Feldt, L. S. (1969). A test of the hypothesis that Cronbach's alpha or Kuder-Richardson "
    "coefficient twenty is the same for two tests. *Psychometrika, 34*(3), 363–373.",
    "hakstian1976": "Hakstian, A. R., & Whalen, T. E. (1976). A k-sample significance test for independent "
    "alpha coefficients. *Psychometrika, 41*(2), 219–231.",
    "chen2007": "Chen, F. F. (2007). Sensitivity of goodness of fit indexes to lack of measurement "
    "invariance. *Structural Equation Modeling, 14*(3), 464–504.",
    "krejcie1970": "Krejcie, R. V., & Morgan, D. W. (1970). Determining sample size for research "
    "activities. *Educational and Psychological Measurement, 30*(3), 607–610.",
    "yamane1967": "Yamane, T. (1967). *Statistics: An introductory analysis* (2nd ed.). Harper & Row.",
    "hu1999": "Hu, L., & Bentler, P. M. (1999). Cutoff criteria for fit indexes in covariance structure "
    "analysis: Conventional criteria versus new alternatives. *Structural Equation Modeling, 6*(1), 1–55.",
    "rovinelli1977": "Rovinelli, R. J., & Hambleton, R. K. (1977). On the use of content specialists in "
    "the assessment of criterion-referenced test item validity. *Dutch Journal of Educational Research, 2*, "
    "49–60.",
    "joanes1998": "Joanes, D. N., & Gill, C. A. (1998). Comparing measures of sample skewness and "
    "kurtosis. *Journal of the Royal Statistical Society: Series D, 47*(1), 183–189.",
    "efron1993": "Efron, B., & Tibshirani, R. J. (1993). *An introduction to the bootstrap*. Chapman & Hall.",
    "mcdonald1999": "McDonald, R. P. (1999). *Test theory: A unified treatment*. Lawrence Erlbaum.",
    "guttman1945": "Guttman, L. (1945). A basis for analyzing test-retest reliability. "
    "*Psychometrika, 10*(4), 255–282.",
    "welch1951": "Welch, B. L. (1951). On the comparison of several mean values: An alternative "
    "approach. *Biometrika, 38*(3/4), 330–336.",
    "kruskal1952": "Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance "
    "analysis. *Journal of the American Statistical Association, 47*(260), 583–621.",
    "games1976": "Games, P. A., & Howell, J. F. (1976). Pairwise multiple comparison procedures with "
    "unequal n's and/or variances: A Monte Carlo study. *Journal of Educational Statistics, 1*(2), 113–125.",
    "wilcoxon1945": "Wilcoxon, F. (1945). Individual comparisons by ranking methods. "
    "*Biometrics Bulletin, 1*(6), 80–83.",
    "mann1947": "Mann, H. B., & Whitney, D. R. (1947). On a test of whether one of two random variables "
    "is stochastically larger than the other. *The Annals of Mathematical Statistics, 18*(1), 50–60.",
    "cohen1988": "Cohen, J. (1988). *Statistical power analysis for the behavioral sciences* (2nd ed.). "
    "Lawrence Erlbaum.",
    "hedges1981": "Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and "
    "related estimators. *Journal of Educational Statistics, 6*(2), 107–128.",
    "phatthiyaphaibun2023": "Phatthiyaphaibun, W., Chaovavanich, K., Polpanumas, C., Suriyawongkul, A., "
    "Lowphansirikul, L., Chormai, P., Limkonchotiwat, P., Suntorntip, T., & Udomcharoenchaikit, C. (2023). "
    "PyThaiNLP: Thai natural language processing in Python. In *Proceedings of the 3rd Workshop for Natural "
    "Language Processing Open Source Software (NLP-OSS 2023)* (pp. 25–36). Association for Computational "
    "Linguistics. https://doi.org/10.18653/v1/2023.nlposs-1.4",
    "laird1982": "Laird, N. M., & Ware, J. H. (1982). Random-effects models for longitudinal data. "
    "*Biometrics, 38*(4), 963–974.",
    "holm1979": "Holm, S. (1979). A simple sequentially rejective multiple test procedure. "
    "*Scandinavian Journal of Statistics, 6*(2), 65–70.",
}

AUTHOR_YEAR = re.compile(r"^\s*(?P<authors>.+?)\.?\s*\((?P<year>\d{4}[a-z]?)\)")
SURNAME = re.compile(r"([A-Z][A-Za-z'’\-]+),\s*(?:[A-Z]\.\s*(?:-[A-Z]\.\s*)?)+")
THAI = re.compile("[\u0e00-\u0e7f]")


def in_text(reference: str) -> str:
    """The APA in-text form of a full reference, without parentheses: ``Best, 1977``;
    ``George & Mallery, 2003``; three or more authors ``Feldt et al., 1987``; a Thai author by
    full name, ``บุญชม ศรีสะอาด, 2545``. A reference not in ``Author. (Year).`` form is kept
    as it is."""
    match = AUTHOR_YEAR.match(reference)
    if not match:
        return reference.strip()
    authors, year = match.group("authors").strip().rstrip("."), match.group("year")
    if THAI.search(authors):
        names = [a.strip() for a in re.split(r",|\s&\s|และ", authors) if a.strip()]
    else:
        names = SURNAME.findall(authors + ".") or [authors]
    if len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} & {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {year}"


def _authors_year(reference: str) -> tuple[list[str], str] | None:
    match = AUTHOR_YEAR.match(reference)
    if not match:
        return None
    authors, year = match.group("authors").strip().rstrip("."), match.group("year")
    if THAI.search(authors):
        return [a.strip() for a in re.split(r",|\s&\s|และ", authors) if a.strip()], year
    return SURNAME.findall(authors + ".") or [authors], year


def narrative_cite(reference: str, language: str = "th") -> str:
    """The narrative form, author(s) in the sentence and the year in parentheses:
    ``George และ Mallery (2003)`` (Thai text), ``George and Mallery (2003)``, ``Feldt et al. (1987)``."""
    parsed = _authors_year(reference)
    if parsed is None:
        return reference.strip()
    names, year = parsed
    joiner = messages(language)("refs.authors_and")
    who = names[0] if len(names) == 1 else joiner.join(names[:2]) if len(names) == 2 else f"{names[0]} et al."
    return f"{who} ({year})"


def cite(reference: str) -> str:
    """``(Author, year)`` for a reference given in full (e.g. a criterion's ``reference``)."""
    return f"({in_text(reference)})" if reference.strip() else ""


def reference_list(texts: list[str], extra: list[str]) -> list[str]:
    """The full references whose in-text form occurs in ``texts`` (the document's fragments):
    the works of :data:`WORKS` and the study's own ``extra`` references. Thai first in Thai
    alphabetical order, then the others alphabetically; each once."""
    body = "\n".join(texts)
    found = []
    for reference in [*WORKS.values(), *extra]:
        forms = (in_text(reference), narrative_cite(reference), narrative_cite(reference, "en"))
        if reference and reference.strip() and any(f in body for f in forms) and reference not in found:
            found.append(reference.strip())
    thai = sorted((r for r in found if THAI.match(r)), key=_thai_key)
    other = sorted((r for r in found if not THAI.match(r)), key=str.casefold)
    return thai + other


def _thai_key(text: str) -> str:
    """Sort key in Thai dictionary order: leading vowels (เ แ โ ใ ไ) are passed over, as
    Thai dictionaries order by the initial consonant (Royal Institute Dictionary)."""
    return text[1:] if text[:1] in "เแโใไ" else text
