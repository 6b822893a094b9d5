"""Delays: a fixed duration or a probability distribution of durations."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from scenarios._base import Duration, FieldError, StrictModel
from scenarios.limits import MAX_WEIGHT


class Fixed(StrictModel):
    """Always the same duration."""

    dist: Literal["fixed"]
    """The distribution's name."""
    value: Duration
    """The duration."""


class Uniform(StrictModel):
    """Any duration between `low` and `high`, all equally likely."""

    dist: Literal["uniform"]
    """The distribution's name."""
    low: Duration
    """The shortest duration."""
    high: Duration
    """The longest duration."""

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.low > self.high:
            raise FieldError("low must not exceed high", field="high")
        return self


class Triangular(StrictModel):
    """Between `low` and `high`, most often near `mode`: the three-point estimate of a practitioner."""

    dist: Literal["triangular"]
    """The distribution's name."""
    low: Duration
    """The shortest duration."""
    mode: Duration
    """The most likely duration."""
    high: Duration
    """The longest duration."""

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise FieldError("expected low <= mode <= high", field="mode" if self.low > self.mode else "high")
        return self


class Lognormal(StrictModel):
    """Skewed to the right (most calls are quick, a few take long), given by its median and 90th percentile."""

    dist: Literal["lognormal"]
    """The distribution's name."""
    median: Duration
    """Half of the durations are shorter than this."""
    p90: Duration
    """Nine in ten durations are shorter than this; must exceed the median."""

    @model_validator(mode="after")
    def _ordered(self) -> Lognormal:
        if self.median <= 0:
            raise FieldError("median must be more than 0s", field="median")
        if self.p90 <= self.median:
            raise FieldError("p90 must be longer than the median", field="p90")
        return self


class Exponential(StrictModel):
    """Memoryless durations with the given mean (time between independent arrivals)."""

    dist: Literal["exponential"]
    """The distribution's name."""
    mean: Duration
    """The mean duration; must be more than 0s."""

    @model_validator(mode="after")
    def _positive(self) -> Exponential:
        if self.mean <= 0:
            raise FieldError("mean must be more than 0s", field="mean")
        return self


class Empirical(StrictModel):
    """One of the observed durations, drawn with the given weights (equal weights when omitted)."""

    dist: Literal["empirical"]
    """The distribution's name."""
    values: list[Duration] = Field(min_length=1)
    """The observed durations."""
    weights: list[Annotated[float, Field(gt=0, le=MAX_WEIGHT)]] | None = None
    """Relative weights, one per value."""

    @model_validator(mode="after")
    def _matching(self) -> Empirical:
        if self.weights is not None and len(self.weights) != len(self.values):
            raise FieldError(
                f"{len(self.weights)} weights for {len(self.values)} values: give one weight per value", field="weights"
            )
        return self


Distribution = Fixed | Uniform | Triangular | Lognormal | Exponential | Empirical
"""Any distribution of durations."""

DISTRIBUTION_NAMES = ("fixed", "uniform", "triangular", "lognormal", "exponential", "empirical")


def _delay_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        dist = value.get("dist")
        return dist if dist in DISTRIBUTION_NAMES else None
    if isinstance(value, Distribution):
        return value.dist
    return "duration"


Delay = Annotated[
    Annotated[Duration, Tag("duration")]
    | Annotated[Fixed, Tag("fixed")]
    | Annotated[Uniform, Tag("uniform")]
    | Annotated[Triangular, Tag("triangular")]
    | Annotated[Lognormal, Tag("lognormal")]
    | Annotated[Exponential, Tag("exponential")]
    | Annotated[Empirical, Tag("empirical")],
    Discriminator(
        _delay_tag,
        custom_error_type="delay",
        custom_error_message=(
            "expected a duration such as '30s', or a distribution with 'dist' set to one of: "
            + ", ".join(DISTRIBUTION_NAMES)
        ),
    ),
]
"""A duration (`30s`) or a distribution (`{dist: lognormal, median: 30s, p90: 2m}`)."""
