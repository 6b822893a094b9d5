"""Building blocks shared by every model of the scenario language: strict models, ids, durations."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from scenarios.limits import MAX_DURATION_S, REASONS

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
DURATION_PATTERN = r"^\s*(?:\d+(?:\.\d+)?h)?\s*(?:\d+(?:\.\d+)?m)?\s*(?:\d+(?:\.\d+)?s)?\s*$"
_DURATION = re.compile(r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m)?(?:(?P<s>\d+(?:\.\d+)?)s)?$")


class StrictModel(BaseModel):
    """Base of every scenario model: unknown keys are errors, values are immutable, docstrings document fields."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        # The field docstrings are read where they are used, by `scenarios.schema` (pydantic's own reading, from the
        # source of every model at every start, was a fifth of the time `import scenarios` took).
        populate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        # An infinite or NaN number means nothing in a scenario, and would come out of a run as non-JSON.
        allow_inf_nan=False,
    )


class FieldError(ValueError):
    """Raised by a model's check that fails because of one of its fields, so that the error points at that field.

    Pydantic places a model check's error at the model; the loader moves it to `field` (when the file has it) and
    shows `hint` after the message.
    """

    def __init__(self, message: str, *, field: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.hint = hint


_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "ø": "o",
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ł": "l",
        "\u0131": "i",
    }  # \u0131: dotless i
)
"""Letters that Unicode does not decompose into an ASCII letter and a mark."""


def slugify(text: str, default: str = "my-id") -> str:
    """An id made from any text: `Übung Straße 1` gives `ubung-strasse-1`, `spcj-sécurité` gives `spcj-securite`."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LETTERS))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or default


def _check_slug(value: str) -> str:
    if not _SLUG.match(value):
        suggestion = slugify(value)
        raise ValueError(
            f"{value!r} is not a valid id: use lower-case letters, digits and single hyphens, e.g. {suggestion!r}"
        )
    return value


Id = Annotated[
    str,
    AfterValidator(_check_slug),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN, "examples": ["police-control"]}),
]
"""A slug id: lower-case letters, digits and single hyphens (`police-control`, `inj-03`)."""


def parse_duration(value: object) -> float:
    """Parse a duration written like `20s`, `7m`, `1h30m` or `1m30.5s` into seconds.

    Raises:
        ValueError: the value is not a duration string (bare numbers are refused: the unit would be a guess).
    """
    if not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError(f"{value!r} has no unit: write a duration such as '{value}s' or '{value}m'")
        shown = "nothing" if value is None else str(value).lower() if isinstance(value, bool) else type(value).__name__
        raise ValueError(f"expected a duration such as '20s', '7m' or '1h30m', got {shown}")
    text = value.replace(" ", "")
    if text.startswith("-") and _DURATION.match(text[1:]):
        raise ValueError(f"{value!r} is negative: a duration is 0s or more, such as '20s', '7m' or '1h30m'")
    match = _DURATION.match(text)
    if not text or match is None or not any(match.groupdict().values()):
        raise ValueError(f"{value!r} is not a duration: write it like '20s', '7m' or '1h30m'")
    hours, minutes, seconds = (float(match.group(k) or 0) for k in ("h", "m", "s"))
    total = hours * 3600 + minutes * 60 + seconds
    if not math.isfinite(total) or total > MAX_DURATION_S:
        shown = value if len(value) <= 24 else f"{value[:12]}...{value[-6:]}"
        raise ValueError(
            f"{shown!r} is too long: a duration is at most {format_duration(MAX_DURATION_S)} ({REASONS['duration']})"
        )
    return total


def format_duration(seconds: float) -> str:
    """Write seconds back in the scenario notation (`1h30m`, `7m`, `20s`, `1m30.5s`, `0s`), to the microsecond."""
    # Finer digits are float noise (3600.000000000001), and `:g` would write them as `9.1e-13s`, which cannot be read.
    seconds = round(seconds, 6)
    whole = int(seconds)
    fraction = seconds - whole
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours}h")
    if minutes:
        parts.append(f"{minutes}m")
    if secs or fraction or not parts:
        parts.append(f"{secs + fraction:.6f}".rstrip("0").rstrip(".") + "s")
    return "".join(parts)


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str, when_used="json"),
    Field(ge=0),
    WithJsonSchema(
        {"type": "string", "pattern": DURATION_PATTERN, "examples": ["20s", "7m", "1h30m"]},
    ),
]
"""A duration in seconds, written in files as `20s`, `7m`, `1h30m`."""

Probability = Annotated[float, Field(ge=0, le=1)]
"""A probability between 0 and 1."""
