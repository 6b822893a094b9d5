"""The sections an after-action report of a run and of a batch share: handling, summary, plan, organisations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from simulator.analysis.report.model import Bullets, Finding, Organisation, Paragraph, Section, Table
from simulator.formatting import DASH
from simulator.narrative import t_plus

MARKING = "EXERCISE — FOR TRAINING USE ONLY"
"""The handling marking on every page: a simulated exercise, never a real incident."""
SUMMARY_FINDINGS = 3
"""How many strengths and areas for improvement the executive summary names."""
TO_FILL = ""
"""An improvement-plan cell the exercise programme fills in."""


def handling_section(about: str, made: str) -> Section:
    """1. Handling instructions: what the document is, and how to treat it."""
    return Section(
        "handling",
        "Handling instructions",
        (
            Paragraph(f"This is an exercise document, marked {MARKING}. {about}"),
            Paragraph(
                "It describes your organisations' procedures and where they struggled: handle it as your exercise "
                "programme's rules say (it is normally not for public release), and do not quote it as a record "
                "of events."
            ),
            Paragraph(made),
            Paragraph("Point of contact: ______________________ (to be filled in by the exercise programme)."),
        ),
    )


def executive_summary(
    opening: str, strengths: Sequence[Finding], improvements: Sequence[Finding], none: str = "None found in this run."
) -> Section:
    """3. Executive summary: the major strengths and the primary areas for improvement."""
    return Section(
        "summary",
        "Executive summary",
        (
            Paragraph(opening),
            Paragraph("Major strengths:"),
            Bullets(tuple(finding_text(f) for f in strengths[:SUMMARY_FINDINGS]), none),
            Paragraph("Primary areas for improvement:"),
            Bullets(tuple(finding_text(f) for f in improvements[:SUMMARY_FINDINGS]), none),
        ),
    )


def improvement_plan(improvements: Sequence[Finding]) -> Section:
    """Appendix A: one row per area for improvement; the programme fills in the blank columns."""
    rows = tuple(
        (
            finding.core_capability or DASH,
            finding.title,
            TO_FILL,
            TO_FILL,
            finding.responsible or TO_FILL,
            TO_FILL,
            TO_FILL,
            TO_FILL,
        )
        for finding in improvements
    )
    return Section(
        "improvement-plan",
        "Appendix A: Improvement plan",
        (
            Paragraph(
                "One row per area for improvement of this report. The corrective action, the capability element "
                "(planning, organisation, equipment, training, exercises), the point of contact and the dates are "
                "left blank for the exercise programme to fill in; the responsible organisation is the one the "
                "analysis points to, to be confirmed."
            ),
            Table(
                "Improvement plan",
                (
                    "Core capability",
                    "Area for improvement",
                    "Corrective action",
                    "Capability element",
                    "Primary responsible organisation",
                    "Point of contact",
                    "Start date",
                    "Completion date",
                ),
                rows,
                empty="No area for improvement was found.",
            ),
        ),
    )


def organisations_appendix(organisations: Sequence[Organisation], *, first_learned: bool) -> Section:
    """Appendix B: the participating organisations (with when each first learned of the incident, for a run)."""
    columns = ("Organisation", "Kind", "Units", "Decisions put to it") + (
        ("First learned of the incident",) if first_learned else ()
    )
    rows = tuple(
        (
            o.name,
            o.kind.replace("_", " "),
            str(o.units),
            ", ".join(o.decisions) or DASH,
            *((t_plus_or_never(o.first_learned_t),) if first_learned else ()),
        )
        for o in organisations
    )
    return Section(
        "organisations",
        "Appendix B: Participating organisations",
        (
            Table(
                "Participating organisations",
                columns,
                rows,
                (False, False, True, False, *((True,) if first_learned else ())),
            ),
        ),
    )


def overview_rows(pairs: Iterable[tuple[str, str | None]]) -> Table:
    """A two-column table of the overview's facts (rows without a value are left out)."""
    return Table("Exercise", ("", ""), tuple((key, value) for key, value in pairs if value))


def finding_text(finding: Finding) -> str:
    return f"{finding.title}. {finding.analysis}" if finding.analysis else finding.title


def slug(prefix: str, text: str) -> str:
    kept = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return f"{prefix}-" + "-".join(part for part in kept.split("-") if part)


def t_plus_or_never(t: float | None) -> str:
    """`T+HH:MM:SS`, or `never`."""
    return "never" if t is None else t_plus(t)


def unbroken(thresholds: str) -> str:
    """Thresholds in words whose limits never break across lines (`M ≤ 10:00` stays whole): no-break spaces."""
    return thresholds.replace(" ≤ ", "\u00a0≤\u00a0")
