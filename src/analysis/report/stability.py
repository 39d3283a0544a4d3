"""Words and tables for "the instrument holds steady across cycles", in either language, from
the ``stability`` section of ``results/reliability.json`` (codes and numbers written by
:func:`analysis.run.pipeline.stage_stability`): alpha per cycle with the test of equal alphas
(Feldt, 1969, for two cycles; Hakstian & Whalen, 1976, for more), the measurement invariance of
the CFA across cycles judged by Chen (2007), and the one sentence saying whether the cycles'
means may be compared (scalar invariance: yes; metric: with care; configural or not tested: no
evidence). Every word comes from the catalogue's ``stability`` section.
"""

from __future__ import annotations

from analysis.numbers import format_number as fmt
from analysis.report.messages import messages
from analysis.report.reporting import join_list, markdown_table, p_relation, p_text, table_header

ALPHA_LABEL = "tbl-alpha-cycles"
INVARIANCE_LABEL = "tbl-invariance"
SECTION_LABEL = "sec-stability"
ALPHA_LEVEL = 0.05
NBSP_EQUALS = "\u00a0=\u00a0"


def compared(stability: dict | None) -> bool:
    """Two or more cycles with data: the write-up has something to say."""
    return bool(stability) and stability.get("code") == "ok"


def _signed(value: float | None, digits: int = 3) -> str:
    """``+0.001`` / ``−0.001`` (a true minus sign), ``0.000`` unsigned when it rounds to
    zero, ``–`` when missing."""
    if value is None:
        return "–"
    text = fmt(abs(value), digits)
    if float(text) == 0:
        return text
    return ("−" if value < 0 else "+") + text


def test_statistic(test: dict) -> str:
    """In the form of "F(2, 686.01) = 63.44, p < .001": ``W(359, 339) = 0.82, p = .066`` (Feldt) /
    ``χ²(2) = 5.12, p = .077`` (Hakstian & Whalen)."""
    if test["test"] == "feldt_1969":
        return f"W({test['df1']}, {test['df2']}) = {test['statistic']:.2f}, p {p_relation(test['p'])}"
    return f"χ²({test['df1']}) = {test['statistic']:.2f}, p {p_relation(test['p'])}"


def test_kind(stability: dict) -> str:
    """The test of equal alphas the run used (Feldt's for two cycles, Hakstian & Whalen's for more)."""
    return next((t["test"] for t in stability["alpha_tests"] if t["test"]), "feldt_1969")


def _overall_n(stability: dict) -> dict[str, int]:
    return {r["cycle"]: r["n"] for r in stability["alpha"] if r["scale"] == "overall"}


def alpha_table_md(
    stability: dict, names: dict[str, str], cycle_names: dict[str, str], *, caption: str, language: str
) -> str:
    """Alpha of each dimension and the whole questionnaire per cycle (n of the whole
    questionnaire in the header; a scale's own n in its cell when it differs, as listwise
    deletion may make it), then the test of equal alphas: statistic, df, p."""
    m = messages(language)
    cycles, n_all = stability["cycles"], _overall_n(stability)
    tests = {t["scale"]: t for t in stability["alpha_tests"]}
    kind = test_kind(stability)
    rows = []
    for scale in tests:
        by_cycle = {r["cycle"]: r for r in stability["alpha"] if r["scale"] == scale}
        cells = [names.get(scale, scale)]
        for c in cycles:
            r = by_cycle.get(c)
            text = "–" if r is None or r["alpha"] is None else fmt(r["alpha"])
            if r is not None and r["alpha"] is not None and r["n"] != n_all.get(c):
                text += f" (n = {r['n']:,})"
            cells.append(text)
        t = tests[scale]
        if t["code"] == "ok":
            df = f"{t['df1']}, {t['df2']}" if t["test"] == "feldt_1969" else str(t["df1"])
            cells += [f"{t['statistic']:.2f}", df, p_text(t["p"])]
        else:
            cells += ["–", "–", "–"]
        rows.append(cells)
    header = table_header(language, "dimension")
    header += [  # "n = 340" kept on one line (no-break spaces) when the header wraps
        m("stability.cycle_n", cycle=cycle_names.get(c, c), n=f"{n_all.get(c, 0):,}").replace(
            " = ", NBSP_EQUALS
        )
        for c in cycles
    ]
    header += ["W" if kind == "feldt_1969" else "χ²", "df", "p"]
    df_width = 14 if kind == "feldt_1969" else 6
    widths = [32, *([max(9, (100 - 32 - 9 - df_width - 8) // len(cycles))] * len(cycles)), 9, df_width, 8]
    return markdown_table(header, rows, "l" + "c" * (len(header) - 1), caption, ALPHA_LABEL, widths)


def invariance_table_md(invariance: dict, *, caption: str, language: str) -> str:
    """The configural, metric and scalar models side by side (one column each; eleven columns
    of models by statistics do not fit an A4 page): χ² (df), CFI, RMSEA and, against the model
    before, Δχ² (Δdf), its p, ΔCFI, ΔRMSEA and whether invariance holds by Chen (2007)."""
    m = messages(language)
    steps = invariance["steps"]

    def verdict(s: dict) -> str:
        if s["code"] != "ok":
            return m("stability.not_converged")
        if s["delta_chi2"] is None:
            return m("stability.baseline")
        return m("stability.holds") if s["holds"] else m("stability.does_not_hold")

    def cells(value) -> list[str]:
        return [value(s) if s["chi2"] is not None else "–" for s in steps]

    def delta(value) -> list[str]:
        return [value(s) if s["delta_chi2"] is not None else "–" for s in steps]

    rows = [
        ["χ² (df)", *cells(lambda s: f"{s['chi2']:.2f} ({s['df']})")],
        ["CFI", *cells(lambda s: f"{s['cfi']:.3f}")],
        ["RMSEA", *cells(lambda s: f"{s['rmsea']:.3f}")],
        ["Δχ² (Δdf)", *delta(lambda s: f"{s['delta_chi2']:.2f} ({s['delta_df']})")],
        ["p", *delta(lambda s: p_text(s["delta_p"]))],
        ["ΔCFI", *delta(lambda s: _signed(s["delta_cfi"]))],
        ["ΔRMSEA", *delta(lambda s: _signed(s["delta_rmsea"]))],
        [m("stability.result_header"), *[verdict(s) for s in steps]],
    ]
    header = [m("stability.statistic_header"), *[m(f"stability.models.{s['model']}") for s in steps]]
    widths = [34, *([22] * len(steps))]
    return markdown_table(header, rows, "l" + "c" * len(steps), caption, INVARIANCE_LABEL, widths)


def _cycles_text(codes: list[str], cycle_names: dict[str, str], language: str) -> str:
    return join_list([cycle_names.get(c, c) for c in codes], language)


def alpha_sentences(stability: dict, names: dict[str, str], language: str) -> str:
    """Whether the whole questionnaire's alpha, then each dimension's, differs across cycles."""
    m = messages(language)
    tests = {t["scale"]: t for t in stability["alpha_tests"]}
    overall = tests.get("overall")
    if overall is None or overall["code"] != "ok":
        code = overall["code"] if overall else "fewer_than_two_cycles"
        return m("stability.alpha_untested", reason=m(f"stability.alpha_reasons.{code}"))
    same = overall["p"] >= ALPHA_LEVEL
    text = m(
        "stability.alpha_lead",
        test=m(f"stability.tests.{overall['test']}"),
        verdict=m("stability.alpha_same" if same else "stability.alpha_differ"),
        statistic=test_statistic(overall),
    )
    dims = [t for s, t in tests.items() if s != "overall" and t["code"] == "ok"]
    differ = [names.get(t["scale"], t["scale"]) for t in dims if t["p"] < ALPHA_LEVEL]
    if dims and not differ:
        text += m("stability.dimensions_same")
    elif differ:
        text += m("stability.dimensions_differ", names=join_list(differ, language))
    return text + m("stability.alpha_end", ref=f"[@{ALPHA_LABEL}]")


def invariance_sentences(stability: dict, cycle_names: dict[str, str], language: str) -> str:
    """How invariance was tested (the cycles fitted with their complete responses, those left
    out, the models and Chen's criteria), when it was."""
    m = messages(language)
    inv = stability.get("invariance")
    if not inv or not inv["steps"]:
        return ""
    groups = join_list(
        [
            m("stability.cycle_count", cycle=cycle_names.get(c, c), n=f"{n:,}")
            for c, n in zip(inv["groups"], inv["n"], strict=True)
        ],
        language,
    )
    criteria = inv["criteria"]
    text = m(
        "stability.invariance",
        groups=groups,
        cfi=fmt(-criteria["max_cfi_drop"], 3),
        rmsea=fmt(criteria["max_rmsea_rise"], 3),
        ref=f"[@{INVARIANCE_LABEL}]",
    )
    if inv["left_out"]:
        text += m(
            "stability.left_out",
            cycles=_cycles_text(inv["left_out"], cycle_names, language),
            min_n=f"{inv['min_n']:,}",
        )
    return text


def comparability_sentence(stability: dict, cycle_names: dict[str, str], language: str) -> str:
    """The one sentence on whether means may be compared across cycles: scalar invariance
    holds → yes; metric only → with care; configural only, not fitted, too few responses per
    cycle or not tested → no evidence, said with the reason."""
    m = messages(language)
    inv = stability.get("invariance")
    if inv is None:
        return m("stability.comparable.not_tested")
    cycles = _cycles_text(inv["groups"], cycle_names, language)
    if inv["code"] == "fewer_than_two_groups":
        return m("stability.comparable.too_few", min_n=f"{inv['min_n']:,}")
    if inv["code"] != "ok":
        return m("stability.comparable.not_fitted", reason=m(f"stability.reasons.{inv['code']}"))
    return m(f"stability.comparable.{inv['level']}", cycles=cycles)


def stability_ref(stability: dict | None, language: str) -> str:
    """What the cycle comparison says to point at the comparability sentence: the heading and
    the table that hold it (the invariance table when the models were fitted)."""
    if not compared(stability):
        return ""
    inv = stability.get("invariance") or {}
    label = INVARIANCE_LABEL if inv.get("steps") else ALPHA_LABEL
    m = messages(language)
    heading, section = m("stability.heading"), m("sections.instrument")
    return m("stability.see", heading=heading, section=section, ref=f"[@{label}]")
