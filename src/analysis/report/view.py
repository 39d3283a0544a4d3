"""One view of a run's results for both editions, and the section templates that read it.

:class:`View` holds the results as stored (numbers and codes), the narrative and the figures of
one edition, and answers what a section shows: names chosen by language (``name_th`` or
``name_en``), tables and sentences built by :mod:`analysis.report.reporting` with the
edition's catalogue. The award form's sections are Jinja2 templates
(``templates/<section>.md.j2``), one set for both languages: a template says *what* a section
holds and in which order; every word comes from ``t(key, **fields)``, the catalogue of the
edition (``catalogue/<language>.yaml``). So the English edition has every table, figure and
appendix section the Thai one has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import jinja2

from analysis.numbers import format_number as fmt
from analysis.report import reporting as rp
from analysis.report import stability as st
from analysis.report.messages import Messages, messages

TEMPLATES = Path(__file__).parent / "templates"
APPENDIX_THAI_PT = 12  # the PDF's seven-column comparison tables of the Thai appendix (13 pt elsewhere)
# The award form's sections (and the appendix), in the order the document includes them.
SECTIONS = (
    "notice",
    "award",
    "agency",
    "innovation",
    "creation",
    "use",
    "methods",
    "results",
    "quote",
    "appendix",
)
# Reasons a cleaning step drops a submission (analysis.data.cleaning) → catalogue codes.
CLEANING_REASONS = {
    "exact duplicate submission": "duplicate",
    "earlier submission by the same respondent in the cycle": "resubmitted",
    "no respondent key": "no_respondent_key",
    "timestamp not readable": "timestamp_unreadable",
    "timestamp outside every cycle window": "outside_cycles",
    "cycle value not one of the study's cycles": "unknown_cycle",
}


def with_n(name: str, n: int) -> str:
    """``วงรอบที่ 2 (ปีงบประมาณ พ.ศ. 2564, n = 360)``: n inside the name's own parentheses."""
    return f"{name[:-1]}, n = {n:,})" if name.endswith(")") else f"{name} (n = {n:,})"


def cleaning_reason_code(reason: str) -> str:
    """The catalogue code of a drop reason as the cleaning log words it."""
    if reason.startswith("fewer than"):
        return "incomplete"
    return CLEANING_REASONS.get(reason, "other")


@dataclass
class View:
    """What both editions show of one run, in ``language``'s words."""

    results: dict
    narrative: dict
    language: str
    figures: dict[str, dict] = field(default_factory=dict)

    # ------------------------------------------------------------------ basics
    @property
    def t(self) -> Messages:
        return messages(self.language)

    @property
    def meta(self) -> dict:
        return self.results["meta"]

    @property
    def desc(self) -> dict:
        return self.results["descriptives"]

    @property
    def rel(self) -> dict:
        return self.results.get("reliability") or {}

    @property
    def pdca(self) -> dict:
        return self.results.get("pdca") or {}

    @property
    def synthetic(self) -> bool:
        return bool(self.meta.get("synthetic"))

    @cached_property
    def names(self) -> dict[str, str]:
        return rp.scale_names(self.results, self.language)

    def name(self, row: dict, key: str = "name") -> str:
        """A config name in the edition's language (``name_en`` falls back to ``name_th``)."""
        return row.get(f"{key}_{self.language}") or row.get(f"{key}_th") or ""

    @property
    def cycle(self) -> str:
        return self.desc.get(f"cycle_name_{self.language}") or self.desc["cycle"]

    @property
    def cycle_with_n(self) -> str:
        return with_n(self.cycle, self.desc["overall"]["n"])

    def cycle_name(self, code: str) -> str:
        cycle = next(c for c in self.meta["cycles"] if c["code"] == code)
        return self.name(cycle) or code

    @property
    def before(self) -> str:
        return self.cycle_name(self.pdca["before"])

    @property
    def after(self) -> str:
        return self.cycle_name(self.pdca["after"])

    def to_write(self, key: str, where: str = "narrative") -> str:
        """What a section shows while its text is not written yet: the key to fill in."""
        file = {"narrative": f"writeup.{self.language}.yaml", "study": "study.yaml"}[where]
        return self.t("document.not_written", key=key, file=file)

    def join(self, parts: list[str]) -> str:
        return rp.join_list([p for p in parts if p], self.language) if any(parts) else ""

    def refs(self, *labels: str) -> str:
        """`` ดังตารางที่ 1 ภาพที่ 1 และภาพที่ 2`` / `` See Table 1, Figure 1 and Figure 2.``"""
        present = [label if label.startswith("[@") else f"[@{label}]" for label in labels if label]
        return self.t("refs.shown", refs=self.join(present)) if present else ""

    def fig_ref(self, name: str, label: str) -> str:
        """``[@label]`` when the figure was made, else nothing (so no reference dangles)."""
        return f"[@{label}]" if self.figures.get(name) else ""

    def figure(self, name: str, caption: str, label: str, width: int = 95) -> str:
        return rp.figure_md(self.figures, name, caption, label, width)

    # ------------------------------------------------------------------ results
    @property
    def paragraph(self) -> str:
        return rp.descriptives_paragraph(self.results, self.language)

    def dimension_table(self, caption: str) -> str:
        return rp.dimension_table_md(self.desc, caption=caption, language=self.language)

    def item_table(self, caption: str) -> str:
        return rp.item_table_md(self.desc, caption=caption, language=self.language)

    def criterion_note(self, overall_row: bool) -> str:
        return rp.criterion_note(
            self.meta["criterion"], self.desc["overall"], overall_row=overall_row, language=self.language
        )

    @property
    def item_findings(self) -> str:
        return rp.item_findings(self.desc, self.language)

    @property
    def groups(self) -> dict:
        return self.desc.get("groups") or {}

    @property
    def group_comparisons(self) -> list[dict]:
        return self.groups.get("comparisons") or []

    @property
    def group_labels(self) -> dict[str, str]:
        return self.groups.get(f"labels_{self.language}") or self.groups.get("labels_th") or {}

    @property
    def group_word(self) -> str:
        """What the respondent groups are called: in Thai the export's group column header when
        it is a short word (สถานภาพ, ตำแหน่ง), else the catalogue's word."""
        column = str(self.groups.get("column") or "")
        thai = self.language == "th" and column and len(column) <= 20 and " " not in column
        return column if thai else self.t("groups.default_word")

    @property
    def group_sentence(self) -> str:
        return rp.group_sentence(
            self.group_comparisons, self.names, self.group_word, self.language, self.group_labels
        )

    def group_table(self, caption: str) -> str:
        return rp.group_table_md(
            self.group_comparisons, self.names, self.group_labels, caption=caption, language=self.language
        )

    def _short_cycles(self) -> tuple[str, str]:
        return (self.short_cycle_name(self.pdca["before"]), self.short_cycle_name(self.pdca["after"]))

    def pdca_table(self, caption: str) -> str:
        return rp.pdca_table_md(
            self.pdca, self.names, self._short_cycles(), caption=caption, language=self.language
        )

    @property
    def pdca_note(self) -> str:
        return rp.pdca_note(self.pdca, self.language)

    @property
    def pdca_findings(self) -> str:
        return rp.pdca_findings(self.pdca, self.names, self._short_cycles(), self.language)

    # ------------------------------------------------------------------ three or more cycles
    @property
    def cycles(self) -> dict:
        """The trend over all cycles (``pdca.cycles``), empty with fewer than three."""
        return self.pdca.get("cycles") or {}

    @property
    def n_cycles(self) -> int:
        return len(self.cycles.get("order") or [])

    @property
    def first_cycle(self) -> str:
        return self.cycle_short_names[self.cycles["order"][0]]

    @property
    def cycles_trend(self) -> str:
        refs = self.join(["[@tbl-cycles-across]", self.fig_ref("cycle_trend", "fig-trend")])
        return rp.cycles_trend_paragraph(self.cycles, self.names, self.cycle_short_names, refs, self.language)

    def cycles_across_table(self, caption: str) -> str:
        return rp.cycles_across_table_md(self.cycles, self.names, caption=caption, language=self.language)

    @property
    def cycles_across_note(self) -> str:
        return rp.cycles_across_note(self.cycles, self.names, self.cycle_short_names, self.language)

    @property
    def cycles_adjacent_findings(self) -> str:
        return rp.cycles_adjacent_findings(self.cycles, self.names, self.cycle_short_names, self.language)

    def cycles_adjacent_table(self, caption: str) -> str:
        return rp.cycles_adjacent_table_md(
            self.cycles, self.names, self.cycle_short_names, caption=caption, language=self.language
        )

    @property
    def cycles_mixed_paragraph(self) -> str:
        return rp.cycles_mixed_paragraph(self.cycles, self.names, self.cycle_short_names, self.language)

    @property
    def cycles_mixed_fitted(self) -> bool:
        return any(r["code"] in ("ok", "singular_fit") for r in self.cycles.get("mixed") or [])

    def cycles_mixed_table(self, caption: str) -> str:
        return rp.cycles_mixed_table_md(
            self.cycles, self.names, self.cycle_short_names, caption=caption, language=self.language
        )

    @property
    def cycles_mixed_note(self) -> str:
        return rp.cycles_mixed_note(self.cycles, self.names, self.cycle_short_names, self.language)

    @property
    def indicators(self) -> list[dict]:
        return [r for r in self.pdca.get("indicators") or [] if r["cycle"] == self.desc["cycle"]]

    @property
    def indicators_met(self) -> int:
        return sum(1 for r in self.indicators if r["met"])

    def indicator_table(self, caption: str) -> str:
        t = self.t
        rows = []
        for r in self.indicators:
            result = {True: t("indicators.met"), False: t("indicators.not_met")}.get(r["met"])
            if result is None:
                result = t.get("indicators.notes").get(r.get("note_code") or "", "–")
            lower = t("indicators.lower_is_better") if r.get("direction") == "lower" else ""
            rows.append(
                [
                    (self.name(r) or r["indicator"]) + lower,  # said once, not in every trend cell
                    (r.get("unit_en") or r["unit"]) if self.language != "th" else r["unit"],
                    "–" if r["target"] is None else rp.number_text(r["target"]),
                    "–" if r["actual"] is None else rp.number_text(r["actual"]),
                    "–" if r["attainment_pct"] is None else f"{r['attainment_pct']:.1f}",
                    result,
                    *([self.indicator_trend_previous(r)] if self.indicators_previous else []),
                    self.indicator_trend(r),
                ]
            )
        header = rp.table_header(
            self.language, "indicator", "unit", "target", "actual", "pct_target", "result"
        )
        if self.indicators_previous:
            previous = {r.get("trend_previous_from") for r in self.indicators} - {None}
            header.append(
                t("headers.trend_from", cycle=self.short_cycle_name(previous.pop()))
                if len(previous) == 1
                else t("headers.trend_previous")
            )
        baselines = {r.get("trend_from") for r in self.indicators} - {None}
        header.append(
            t("headers.trend_from", cycle=self.short_cycle_name(baselines.pop()))
            if len(baselines) == 1
            else t("headers.trend")
        )
        if self.indicators_previous:
            return rp.markdown_table(
                header, rows, "llrrrccc", caption, "tbl-indicators", [23, 13, 11, 11, 12, 8, 11, 11]
            )
        return rp.markdown_table(
            header, rows, "llrrrcc", caption, "tbl-indicators", [21, 14, 13, 13, 13, 11, 15]
        )

    @property
    def indicators_previous(self) -> bool:
        """Whether some indicator has three or more cycles with a value: the table then also
        shows the trend against the cycle before (``trend_previous``)."""
        return any(r.get("trend_previous") for r in self.indicators)

    def indicator_trend_previous(self, row: dict) -> str:
        """The trend of the latest cycle against the one before it, ``–`` when the indicator
        has fewer than three cycles with a value."""
        if not row.get("trend_previous"):
            return "–"
        return self.t.get("indicators.trends").get(row["trend_previous"], "–")

    def cycles_span(self, codes: list[str]) -> str:
        """The cycles a multi-cycle table or figure covers, for its caption: ``วงรอบที่ 1
        (ปีงบประมาณ พ.ศ. 2563) ถึงวงรอบที่ 3 (ปีงบประมาณ พ.ศ. 2565)``, or the one cycle's name."""
        if not codes:
            return ""
        first, last = self.cycle_name(codes[0]), self.cycle_name(codes[-1])
        return first if len(codes) == 1 else self.t("captions.cycles_span", first=first, last=last)

    def short_cycle_name(self, code: str) -> str:
        """``วงรอบที่ 1`` of ``วงรอบที่ 1 (ปีงบประมาณ พ.ศ. 2563)``."""
        return self.cycle_name(code).split(" (")[0]

    def indicator_trend(self, row: dict) -> str:
        """The trend word, with the cycle it starts from when the indicators' baselines differ
        (an indicator where lower is better says so after its name, :meth:`indicator_table`)."""
        t = self.t
        text = t.get("indicators.trends").get(row["trend"], row["trend"])
        if row.get("trend_from") and len({r.get("trend_from") for r in self.indicators} - {None}) > 1:
            text = t("indicators.trend_since", trend=text, cycle=self.short_cycle_name(row["trend_from"]))
        return text

    @property
    def impact_evidence(self) -> str:
        """The indicators the impact section relies on, with their results and targets:
        ``impact_indicators`` of the narrative (codes), else every indicator of the register
        (not taken from the survey)."""
        chosen = self.narrative.get("impact_indicators")

        def cited(r: dict) -> bool:
            if chosen is not None:
                return r["indicator"] in chosen
            return not str(r.get("source") or "").startswith("survey:")

        rows = [r for r in self.indicators if cited(r) and r["actual"] is not None]
        if not rows:
            return ""
        parts = [
            self.t(
                "text.impact_indicator" if r["target"] is not None else "text.impact_indicator_no_target",
                name=self.name(r) or r["indicator"],
                actual=rp.number_text(r["actual"]),
                target="" if r["target"] is None else rp.number_text(r["target"]),
                unit=(r.get("unit_en") or r["unit"]) if self.language != "th" else r["unit"],
            )
            for r in rows
        ]
        return self.t("text.impact_evidence", indicators=self.join(parts), refs="[@tbl-indicators]")

    def rubric_note(self, row: dict) -> str:
        code = row.get("note_code") or ""
        if not code:
            return ""
        return self.t(f"rubrics.notes.{code}", **(row.get("note_values") or {}))

    @property
    def rubric_rows(self) -> list[list[str]]:
        t, rubrics = self.t, self.pdca.get("rubrics") or {}
        rows = [
            [self.name(r), t("rubrics.esa"), self.rubric_score(r["level"], r),
             self.rubric_note(r) or self.name(r, "description") or "–"]
            for r in rubrics.get("esa", [])
        ]  # fmt: skip
        for r in rubrics.get("milestones", []):
            over = r.get("maximum") is not None and r["score"] > r["maximum"]  # awards are not capped
            done = (
                t("rubrics.bonus_over" if over else "rubrics.bonus", bonus=f"{r['bonus']:g}")
                if r["bonus"]
                else t("rubrics.passed", n=r["milestones_met"])
            )
            rows.append(
                [
                    self.name(r),
                    t("rubrics.milestones"),
                    self.rubric_score(r["score"], r),
                    self.rubric_note(r) or done,
                ]
            )
        return rows

    def rubric_score(self, score: float, row: dict) -> str:
        """``4 (คะแนนเต็ม 5)`` / ``4 (out of 5)``: a score with its full score."""
        if row.get("maximum") is None:
            return f"{score:g}"
        return self.t("rubrics.score_of", score=f"{score:g}", maximum=f"{row['maximum']:g}")

    def rubric_table(self, caption: str) -> str:
        header = rp.table_header(self.language, "indicator", "rubric", "score", "description")
        return rp.markdown_table(header, self.rubric_rows, "llcl", caption, "tbl-rubrics", [30, 20, 16, 34])

    @property
    def suggestions(self) -> dict | None:
        """The respondents' suggestions as stage 1 summarised them; None when the study names no
        free-text column (the write-up then has no suggestions section)."""
        return self.results.get("suggestions")

    @property
    def suggestions_sentence(self) -> str:
        return rp.suggestions_sentence(self.suggestions, self.desc["cycle"], self.cycle, self.language)

    def suggestion_table(self) -> str:
        """ข้อเสนอแนะ (ความถี่) by theme, or the frequent words without a themes file; empty when
        nobody wrote a suggestion."""
        s, report = self.suggestions, self.desc["cycle"]
        names = self.cycle_short_names
        if s["code"] != "ok":
            return ""
        span = self.cycles_span([c["cycle"] for c in rp.suggestion_cycles(s, report)])
        if s["themes"]:
            return (
                rp.suggestion_theme_table_md(
                    s,
                    names,
                    report,
                    caption=self.t("captions.suggestions_themes", cycles=span),
                    language=self.language,
                )
                + "\n"
                + self.t("notes.suggestions_themes")
            )
        if s["top_words"]:
            return (
                rp.suggestion_word_table_md(
                    s,
                    names,
                    report,
                    caption=self.t("captions.suggestions_words", cycles=span),
                    language=self.language,
                )
                + "\n"
                + self.t("notes.suggestions_words", min_answers=s["min_answers"])
            )
        return ""

    @property
    def suggestion_examples(self) -> list[str]:
        """The quoted, redacted answers as a list under each theme, in the order of the themes
        table (only when the study allowed quoting and there are some)."""
        examples = (self.suggestions or {}).get("examples") or {}
        if not examples:
            return []
        lines = []
        for row in rp.themes_by_frequency(self.suggestions, self.desc["cycle"]):
            answers = examples.get(row["theme"]) or []
            if answers:
                name = rp.theme_name(row, self.suggestions, self.language)
                lines.append(self.t("suggestions.example_theme", theme=rp.escape_markdown(name)))
                lines += [
                    self.t("suggestions.example_quote", quote=rp.quoted_answer(a, self.language))
                    for a in answers
                ]
        return lines

    @property
    def act(self) -> list[str]:
        return rp.act_lines(self.pdca.get("act") or [], self.results, self.language)

    # ------------------------------------------------------------------ methods
    @property
    def sample(self) -> dict:
        return self.desc.get("sample") or {}

    @property
    def sample_sentence(self) -> str:
        return rp.adequacy_sentence(self.sample["table"], self.language)

    @property
    def sample_has_population(self) -> bool:
        return any(r.get("population") for r in self.sample["table"])

    @property
    def sample_short(self) -> bool:
        return any(r.get("population") and not r.get("adequate_krejcie_morgan") for r in self.sample["table"])

    def sample_table(self, caption: str) -> str:
        return rp.sample_table_md(self.sample["table"], caption=caption, language=self.language)

    @property
    def accepted_losses(self) -> str:
        return rp.accepted_losses_text(self.results.get("cleaning") or {}, self.language)

    @property
    def instrument(self) -> str:
        return self.meta.get(f"instrument_{self.language}") or self.t("text.instrument_default")

    @property
    def n_items(self) -> int:
        return sum(d["n_items"] for d in self.desc["dimensions"])

    @property
    def n_points(self) -> int:
        return self.meta["scale"]["max"] - self.meta["scale"]["min"] + 1

    @property
    def scale_points(self) -> str:
        return rp.join_list(
            [p[self.language] or p["th"] for p in self.meta["scale"]["points"]], self.language
        )

    @property
    def ioc_sentence(self) -> str:
        return rp.ioc_sentence(self.rel["ioc"], self.language)

    @property
    def reliability_sentence(self) -> str:
        return rp.reliability_sentence(self.rel, self.language)

    def reliability_table(self, caption: str) -> str:
        return rp.reliability_table_md(self.rel, self.names, caption=caption, language=self.language)

    @property
    def reliability_note(self) -> str:
        return rp.reliability_note(self.rel, self.language)

    @property
    def reliability_warnings(self) -> list[str]:
        return [
            rp.reliability_warning_text(c, self.results, self.language)
            for c in self.rel.get("warning_codes") or []
        ]

    @property
    def fit_sentence(self) -> str:
        return rp.fit_sentence(self.rel["cfa"], self.language, self.names)

    # ------------------------------------------------------------------ instrument across cycles
    @property
    def stability(self) -> dict:
        """The ``stability`` section when two or more cycles have data, else empty."""
        section = self.rel.get("stability")
        return section if st.compared(section) else {}

    @property
    def cycle_short_names(self) -> dict[str, str]:
        return {c["code"]: self.short_cycle_name(c["code"]) for c in self.meta["cycles"]}

    @property
    def stability_paragraph(self) -> str:
        cycles = self.join([self.cycle_short_names[c] for c in self.stability["cycles"]])
        return (
            self.t("stability.lead", cycles=cycles)
            + st.alpha_sentences(self.stability, self.names, self.language)
            + st.invariance_sentences(self.stability, self.cycle_short_names, self.language)
        )

    @property
    def alpha_test_name(self) -> str:
        return self.t(f"stability.tests.{st.test_kind(self.stability)}")

    def alpha_cycles_table(self, caption: str) -> str:
        return st.alpha_table_md(
            self.stability, self.names, self.cycle_short_names, caption=caption, language=self.language
        )

    @property
    def invariance(self) -> dict:
        """The invariance models when they were fitted (a table to show), else empty."""
        inv = self.stability.get("invariance") or {}
        return inv if inv.get("steps") else {}

    def invariance_table(self, caption: str) -> str:
        return st.invariance_table_md(self.invariance, caption=caption, language=self.language)

    @property
    def invariance_note(self) -> str:
        criteria = self.invariance["criteria"]
        return self.t(
            "stability.note",
            cfi=fmt(-criteria["max_cfi_drop"], 3),
            rmsea=fmt(criteria["max_rmsea_rise"], 3),
        )

    @property
    def comparability_sentence(self) -> str:
        return st.comparability_sentence(self.stability, self.cycle_short_names, self.language)

    @property
    def stability_ref(self) -> str:
        """The cycle comparison's pointer to the comparability sentence (empty with one cycle)."""
        return st.stability_ref(self.stability, self.language)

    @property
    def criterion_name(self) -> str:
        return self.name(self.meta["criterion"])

    @property
    def criterion_cite(self) -> str:
        return rp.criterion_cite(self.meta["criterion"])

    @property
    def statistics(self) -> list[str]:
        return rp.statistics_used(self.results, self.language)

    # ------------------------------------------------------------------ appendix
    @property
    def cleaning(self) -> dict:
        return self.results.get("cleaning") or {}

    @property
    def cleaning_paragraph(self) -> str:
        t, c = self.t, self.cleaning
        by_code: dict[str, int] = {}
        for reason, n in c.get("dropped_by_reason", {}).items():
            code = cleaning_reason_code(reason)
            by_code[code] = by_code.get(code, 0) + n
        dropped = [
            t("cleaning.reason_count", reason=t(f"cleaning.reasons.{code}"), n=f"{n:,}")
            for code, n in sorted(by_code.items(), key=lambda kv: -kv[1])
        ]
        missing = c["n_cells_set_missing"]
        return (
            t("cleaning.received", n_raw=f"{c['n_raw']:,}")
            + (
                t("cleaning.dropped", n_dropped=f"{c['n_dropped']:,}", reasons=self.join(dropped))
                if dropped
                else ""
            )
            + t("cleaning.kept", n_kept=f"{c['n_kept']:,}")
            + (t("cleaning.missing", missing=f"{missing:,}") if missing else t("cleaning.no_missing"))
            + t("cleaning.logged")
        )

    def reliability_intervals_table(self, caption: str) -> str:
        return rp.reliability_intervals_table_md(
            self.rel, self.names, caption=caption, language=self.language
        )

    def reliability_coefficients_table(self, caption: str) -> str:
        return rp.reliability_coefficients_table_md(
            self.rel, self.names, caption=caption, language=self.language
        )

    def item_analysis_table(self, caption: str) -> str:
        return rp.item_analysis_table_md(
            self.rel["items"], self.names, caption=caption, language=self.language
        )

    def cfa_table(self, caption: str) -> str:
        return rp.cfa_loadings_table_md(self.rel["cfa"], self.names, caption=caption, language=self.language)

    @property
    def _appendix_points(self) -> int | None:
        """The PDF's text size of the Thai appendix's seven-column comparison tables."""
        return APPENDIX_THAI_PT if self.language == "th" else None

    @staticmethod
    def _ci(r: dict, kind: str) -> str:
        return rp.interval_text(r[f"{kind}_ci_low"], r[f"{kind}_ci_high"])

    def pdca_paired_table(self, caption: str) -> str:
        rows = [
            [self.names.get(r["scale"], r["scale"]), str(r["n_paired"]),
             rp.number_or_dash(r["paired_mean_difference"]), self._ci(r, "paired"),
             rp.number_or_dash(r["cohens_dz"]), rp.p_text(r["wilcoxon_p"]),
             rp.number_or_dash(r["rank_biserial_paired"])]
            for r in self.pdca["comparisons"]
        ]  # fmt: skip
        header = rp.table_header(self.language, "dimension", "pairs", "mean_difference", "ci95")
        header += ["dz", "Wilcoxon p", "r (rank-biserial)"]
        # English headers are single words that cannot wrap ("difference"): wider columns
        # Thai: "การอำนวยความสะดวก" (one word group, 8.8 em), "[−0.04, 0.14]" and "Wilcoxon"
        # each on one line need 12 pt (APPENDIX_THAI_PT) in the PDF
        widths = {"th": [29, 10, 10, 17, 8, 14, 12], "en": [25, 8, 13, 17, 7, 14, 16]}[self.language]
        return rp.markdown_table(
            header, rows, "lrrcrrr", caption, "tbl-pdca-paired", widths, self._appendix_points
        )

    def pdca_independent_table(self, caption: str) -> str:
        rows = [
            [self.names.get(r["scale"], r["scale"]), f"{r['n_before']}/{r['n_after']}",
             rp.number_or_dash(r["difference"]), self._ci(r, "welch"), rp.number_or_dash(r["hedges_g"]),
             rp.p_text(r["mann_whitney_p"]), rp.number_or_dash(r["rank_biserial"])]
            for r in self.pdca["comparisons"]
        ]  # fmt: skip
        header = rp.table_header(
            self.language, "dimension", "n_before_after", "mean_difference", "ci95_welch"
        )
        header += ["Hedges' g", "Mann–Whitney p", "r (rank-biserial)"]
        widths = {"th": [27, 11, 10, 17, 12, 12, 11], "en": [23, 13, 13, 16, 11, 12, 12]}[self.language]
        return rp.markdown_table(
            header, rows, "lrrcrrr", caption, "tbl-pdca-independent", widths, self._appendix_points
        )

    @property
    def posthoc(self) -> list[tuple[str, dict]]:
        return [(c["scale"], p) for c in self.group_comparisons for p in c["posthoc"]]

    def posthoc_table(self, caption: str) -> str:
        """Games–Howell pairs under a group row per dimension (as the CFA loadings table has them)."""
        labels = self.group_labels
        rows, current = [], None
        for scale, p in self.posthoc:
            if scale != current:
                current = scale
                rows.append([f"**{self.names.get(scale, scale)}**", "", "", "", "", ""])
            rows.append(
                [
                    f"{labels.get(p['group_a'], p['group_a'])} – {labels.get(p['group_b'], p['group_b'])}",
                    fmt(p["difference"]),
                    f"{p['t']:.2f}",
                    f"{p['df']:.1f}",
                    rp.p_text(p["p"]),
                    fmt(p["hedges_g"]),
                ]
            )
        header = [*rp.table_header(self.language, "pair", "difference"), "t", "df", "p", "Hedges' g"]
        return rp.markdown_table(header, rows, "lrrrrr", caption, "tbl-posthoc", [45, 11, 10, 11, 10, 13])

    @property
    def software(self) -> str:
        return rp.software_text(self.meta.get("software") or {})


@cache
def environment() -> jinja2.Environment:
    """The templates' environment: Markdown out (no HTML escaping), a missing value is an error."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_section(name: str, view: View) -> str:
    """One section's Markdown: its template filled from ``view``; blocks are separated by one
    blank line whatever the template's conditions left out."""
    text = environment().get_template(f"{name}.md.j2").render(v=view, t=view.t)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_sections(view: View) -> dict[str, str]:
    """Every section of the document (see :data:`SECTIONS`)."""
    return {name: render_section(name, view) for name in SECTIONS}
