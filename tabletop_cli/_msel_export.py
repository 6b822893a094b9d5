"""Placeholder until its helper's branch lands (replaced at merge)."""

from __future__ import annotations

from typing import Any


def _todo(*_args: Any, **_kwargs: Any) -> None:
    raise NotImplementedError


run_export = _todo
