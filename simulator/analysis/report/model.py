"""What an after-action report is made of: the facts a run or a batch gives, and the document they become.

Two layers, both plain frozen data:

- the **facts** (`RunFacts`, `BatchFacts` and their rows): what the analysis of a run log or a batch folder found,
  in simulation seconds and ids with their names, nothing yet in words of a section;
- the **document** (`Report` of `Section`s of blocks: `Paragraph`, `Bullets`, `Table`, `Figure`): the report's
  content once, which the HTML and the Markdown templates both render, so that the two say the same.

Every text here is the scenario author's or the analysis's plain text: the templates escape it (HTML) or write it
literally (Markdown), so that nothing in a scenario is ever taken as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from simulator.debrief import Debrief

# --- the document -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True, slots=True)
class Bullets:
    """A list; `empty` is said instead when it has no items."""

    items: tuple[str, ...]
    empty: str = "None."


@dataclass(frozen=True, slots=True)
class Table:
    """A table of text cells; `numeric[i]` right-aligns column i; `empty` is said instead when it has no rows."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()
    empty: str = "None."

    def is_numeric(self, index: int) -> bool:
        """Whether column `index` holds numbers or times (right-aligned)."""
        return index < len(self.numeric) and self.numeric[index]


@dataclass(frozen=True, slots=True)
class Figure:
    """A plot: an SVG document (embedded in the HTML report, written beside the Markdown report as `<id>.svg`)."""

    id: str
    """A slug, unique in the report (`timeline`, `awareness`, `milestone-distributions`...)."""
    title: str
    caption: str
    """What it shows and how to read it, in a sentence or two."""
    svg: str
    """The SVG document (UTF-8 text, deterministic: the same facts give the same bytes)."""


Block = Paragraph | Bullets | Table | Figure


@dataclass(frozen=True, slots=True)
class Section:
    """A section of the report (a page of its own when printed)."""

    id: str
    """A slug, unique in the report (the HTML anchor): `handling`, `overview`, `summary`, `analysis`, ..."""
    title: str
    blocks: tuple[Block, ...]
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    """An after-action report and improvement plan (AAR/IP), in the HSEEP order of sections."""

    title: str
    """`After-action report: <scenario title>` (with the variant of a run)."""
    subtitle: str
    """What it was made from: `Run log run.jsonl (seed 7), sealed and intact: 370 records`, or the batch."""
    kind: Literal["run", "batch"]
    marking: str
    """The handling marking printed on every page (`EXERCISE — FOR TRAINING USE ONLY`)."""
    sections: tuple[Section, ...]
    generator: str
    """`Tabletop 0.1.0`."""

    def figures(self) -> list[Figure]:
        """Every figure, in the order the report shows them."""
        found: list[Figure] = []

        def visit(section: Section) -> None:
            found.extend(block for block in section.blocks if isinstance(block, Figure))
            for sub in section.subsections:
                visit(sub)

        for section in self.sections:
            visit(section)
        return found


# --- the facts of one run ---------------------------------------------------------------------------------------------

RunStatus = Literal["ended", "ended early", "stopped", "interrupted"]
"""How a run's log ends: played to its end; ended early by the facilitator; stopped by the engine's ceiling; cut short
(unsealed, no `RunEnded`: a crash or a kill)."""


@dataclass(frozen=True, slots=True)
class Organisation:
    """A participating organisation (a stakeholder of the scenario played)."""

    id: str
    name: str
    kind: str
    units: int
    description: str | None
    first_learned_t: float | None
    """When it first learned a true fact of the incident (any fact not a false report), or None."""
    decisions: tuple[str, ...]
    """The ids of the decisions put to it."""


@dataclass(frozen=True, slots=True)
class Handover:
    """A message between two organisations: one per (sender, receiver, fact), from its first attempt.

    It starts at the first `MessageSent` of the sender to the receiver about the fact, and ends when the receiver
    learned the fact from that sender (`FactLearned` with `source` the sender), or when the message ended otherwise.
    """

    sender: str
    sender_name: str
    receiver: str
    """The stakeholder it reached (the one it was rerouted to, if it was)."""
    receiver_name: str
    fact: str
    fact_text: str
    """The fact's description."""
    true: bool
    """Whether the fact is true (False: a false report)."""
    channel: str | None
    """The channel of the attempt that got through (or of the last attempt); None when undeliverable."""
    medium: str | None
    sent_t: float
    """The first attempt's send time (for an undeliverable message: when it could not be sent)."""
    learned_t: float | None
    """When the receiver learned the fact from this message; None when it did not (see `outcome`)."""
    failed_attempts: int
    """Attempts that failed before the one that got through (or before it was given up)."""
    queue_s: float
    """How long it waited at the receiver for a free call taker (`MessageTaken.waited_s`), 0 when it did not."""
    outcome: Literal["learned", "already known", "lost", "undeliverable", "in transit"]
    """learned: the receiver learned the fact from it; already known: it arrived but the receiver knew the fact
    already (from someone else, earlier); lost: given up after failing; undeliverable: no enabled channel; in transit:
    the run (or the log) ended before it arrived."""
    rerouted: bool = False
    fell_back: bool = False

    @property
    def delay_s(self) -> float | None:
        """From the first attempt to the receiver learning it, or None when it did not."""
        return None if self.learned_t is None else round(self.learned_t - self.sent_t, 3)


@dataclass(frozen=True, slots=True)
class MilestoneShift:
    """A milestone in the run and in an alternative to one of its decisions."""

    milestone: str
    name: str
    taken_t: float | None
    """In the run as played (None: not reached)."""
    alternative_t: float | None
    """With the other option (None: not reached)."""


@dataclass(frozen=True, slots=True)
class RatingShift:
    """An objective's rating in the run and in an alternative."""

    objective: str
    name: str
    taken: str | None
    alternative: str | None


@dataclass(frozen=True, slots=True)
class Alternative:
    """What another option of a decision would have given: the run forked where the decision opened (same seed, same
    draws until then), in memory."""

    option: str
    label: str
    harm_delta: float
    """Its harm minus the run's."""
    milestones: tuple[MilestoneShift, ...]
    """The milestones whose time (or reaching) differs, in the scenario's order."""
    ratings: tuple[RatingShift, ...]
    """The objectives whose rating differs, in the scenario's order."""


@dataclass(frozen=True, slots=True)
class DecisionFacts:
    """A decision of the run: when it opened, when and how it was taken, and what the other options would have done."""

    decision: str
    prompt: str
    stakeholder: str
    stakeholder_name: str
    opened_t: float
    deadline_s: float
    taken_t: float | None
    """None: still open when the log ends."""
    option: str | None
    option_label: str | None
    by: str | None
    """A seat, `preset` or `default` (nobody answered by the deadline)."""
    alternatives: tuple[Alternative, ...] = ()
    """Each other option's outcome (empty for an interrupted run, or a decision still open)."""

    @property
    def waited_s(self) -> float | None:
        """From opening to being taken, or None while open."""
        return None if self.taken_t is None else round(self.taken_t - self.opened_t, 3)


@dataclass(frozen=True, slots=True)
class Awareness:
    """When one organisation learned one key fact (true or false), or that it never did."""

    stakeholder: str
    stakeholder_name: str
    fact: str
    fact_text: str
    true: bool
    learned_t: float | None
    """None: never (by the end of the log)."""
    source: str | None
    """From whom or what, in words (an organisation's name, `inject <id>`, `observation`, `its own declaration`)."""
    corrected_t: float | None = None
    """For a false report: when the organisation learned its correction, or None."""
    needed: bool = False
    """Whether the organisation has to know the fact: a rule of its playbook fires on it, or a milestone is about it
    learning it."""


@dataclass(frozen=True, slots=True)
class FalseReport:
    """A false report (a fact with `false_report: true`): how far it spread and whether it was corrected."""

    fact: str
    fact_text: str
    first_t: float | None
    """When the first organisation learned it (None: nobody did)."""
    reached: tuple[tuple[str, float], ...]
    """(organisation name, when it learned it), in time order."""
    corrected: tuple[tuple[str, float], ...]
    """(organisation name, when it learned the correction), in time order."""
    uncorrected: tuple[str, ...]
    """The names of those that held it and never learned the correction."""


@dataclass(frozen=True, slots=True)
class UnitWait:
    """Units that waited: for free units before leaving (`UnitsLeft.waited_s`), or staged before going in."""

    stakeholder: str
    stakeholder_name: str
    site: str
    site_name: str
    units: int
    ordered_t: float
    """When the dispatch was ordered (or the units staged)."""
    waited_s: float
    why: Literal["no free units", "staged"]


@dataclass(frozen=True, slots=True)
class Finding:
    """A strength or an area for improvement, derived from the run (or the batch), in plain words."""

    kind: Literal["strength", "improvement"]
    title: str
    """One line: `Police on scene within 10 minutes of the first call: U (25:12, P ≤ 10:00)`."""
    analysis: str
    """What happened and the root cause, in one to three sentences (the slowest step of the chain, a default taken,
    a queue at a call taker...)."""
    objective: str | None = None
    core_capability: str | None = None
    responsible: str | None = None
    """The name of the primary responsible organisation (for the improvement plan), or None."""
    weight: float = 0.0
    """For ordering (larger first): the seconds lost or gained, or a rating's margin."""


@dataclass(frozen=True, slots=True)
class RunFacts:
    """Everything the report of one run says, derived from its log."""

    debrief: Debrief
    """The run's debrief (milestones, ratings, harm, timeline, observations, decisions taken)."""
    log_name: str
    """The log's file name."""
    verdict: str
    """`sealed and intact: 370 records` or `interrupted (unsealed): ...` (`RunLog.verdict`)."""
    status: RunStatus
    status_text: str
    """In words: `played to its end at T+02:00:00`, `interrupted at T+00:31:12: the log holds 210 records; ratings
    not decided by then are pending`..."""
    summary: str
    """The scenario's summary."""
    learning_objectives: tuple[str, ...]
    threat: tuple[str, ...]
    """The threat's phases in words (`approach at Synagogue, 5m`), or empty without a threat."""
    organisations: tuple[Organisation, ...]
    handovers: tuple[Handover, ...]
    """Every hand-over, in order of `sent_t`."""
    decisions: tuple[DecisionFacts, ...]
    """In the order they opened."""
    awareness: tuple[Awareness, ...]
    """Every (organisation, key fact) pair, organisations in the scenario's order, facts in order first learned."""
    false_reports: tuple[FalseReport, ...]
    unit_waits: tuple[UnitWait, ...]
    strengths: tuple[Finding, ...]
    """Largest weight first."""
    improvements: tuple[Finding, ...]
    """Largest weight first."""
    core_capabilities: tuple[tuple[str, str], ...] = ()
    """(objective id, its core capability), in the scenario's order."""
    variant_description: str | None = None
    """What the variant played changes (its description in the scenario), or None for the base scenario."""


# --- the facts of a batch ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Estimate:
    """A value with its 95% interval (None where it cannot be estimated: no values, or one)."""

    estimate: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class MilestoneSpread:
    """A milestone over a variant's replications."""

    milestone: str
    name: str
    reached: float
    """The share of replications that reached it (0 to 1)."""
    p10: float | None
    p50: float | None
    p90: float | None
    times: tuple[float, ...]
    """Its time in each replication that reached it, in replication order (for the distribution plot)."""


@dataclass(frozen=True, slots=True)
class ObjectiveOdds:
    """An objective over a variant's replications."""

    objective: str
    name: str
    core_capability: str
    met: Estimate
    """The probability of meeting it (rated P or S) among the replications where it applied (Wilson interval)."""
    ratings: tuple[tuple[str, int], ...]
    """(rating, count) for P, S, M, U, N/A in that order."""
    applicable: int
    thresholds: str
    """What it is rated against, in words (`P ≤ 03:00, S ≤ 05:00, M ≤ 10:00`)."""


@dataclass(frozen=True, slots=True)
class VariantFacts:
    """One variant of a batch (or the base scenario)."""

    variant: str | None
    label: str
    """`base` or the variant's id."""
    description: str | None
    replications: int
    milestones: tuple[MilestoneSpread, ...]
    objectives: tuple[ObjectiveOdds, ...]
    harm: Estimate
    """The mean harm with its interval."""
    harm_p10: float | None
    harm_p50: float | None
    harm_p90: float | None


@dataclass(frozen=True, slots=True)
class PairedDifference:
    """One quantity of a variant minus the reference, paired replication by replication (the same seeds)."""

    item: str
    """A milestone's or objective's id, or `harm`."""
    name: str
    pairs: int
    mean: Estimate
    """For a milestone: seconds (later is positive); for an objective: the difference in the probability of meeting
    it (-1 to 1); for harm: exposure-minutes."""


@dataclass(frozen=True, slots=True)
class VariantDifference:
    """A variant against the reference variant."""

    variant: str
    label: str
    reference_label: str
    pairs: int
    milestones: tuple[PairedDifference, ...]
    objectives: tuple[PairedDifference, ...]
    harm: PairedDifference
    reached: tuple[PairedDifference, ...] = ()
    """The difference in the share of replications that reached each milestone (-1 to 1), paired replication by
    replication, for the milestones reached in some pair and not in the other run of it."""


@dataclass(frozen=True, slots=True)
class BatchFacts:
    """Everything the report of a batch says, from its folder (batch.json, summary.json, results.parquet)."""

    folder_name: str
    title: str
    scenario_id: str
    summary: str
    learning_objectives: tuple[str, ...]
    threat: tuple[str, ...]
    start: str
    time_zone: str
    seed: int
    replications: int
    """Per variant."""
    common_random_numbers: bool
    decisions: tuple[tuple[str, str], ...]
    """Preset (decision, option) pairs; the others take their defaults."""
    organisations: tuple[Organisation, ...]
    """The base scenario's stakeholders (`first_learned_t` None, `decisions` as put to them)."""
    variants: tuple[VariantFacts, ...]
    """In the batch's order."""
    reference_label: str
    """The variant the differences are taken against (`base` when the base scenario was played)."""
    differences: tuple[VariantDifference, ...]
    strengths: tuple[Finding, ...]
    improvements: tuple[Finding, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    """What the reader must know (a variant with few replications...)."""
