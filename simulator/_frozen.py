"""Read-only dicts: records handed to listeners cannot be changed behind the log's back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn


class FrozenDict(dict[str, Any]):
    """A dict that refuses every change; JSON encoders and `pickle` treat it as the dict it is."""

    __slots__ = ()

    def _refuse(self, *_args: object, **_kwargs: object) -> NoReturn:
        raise TypeError("records are read-only: copy one (dict(record)) to add display fields")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self) -> tuple[type[FrozenDict], tuple[dict[str, Any]]]:
        return (FrozenDict, (dict(self),))

    def __copy__(self) -> FrozenDict:
        return self

    def __deepcopy__(self, _memo: object) -> FrozenDict:
        return self


def frozen(value: Mapping[str, Any]) -> FrozenDict:
    """A read-only copy of a mapping of JSON values, nested mappings and lists included (lists become tuples)."""
    return FrozenDict({key: _frozen_value(item) for key, item in value.items()})


def _frozen_value(value: object) -> object:
    if isinstance(value, Mapping):
        return frozen(value)
    if isinstance(value, list | tuple):
        return tuple(_frozen_value(item) for item in value)
    return value
