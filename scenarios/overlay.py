"""Applying a variant to a scenario's data: add, change and remove items by id."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from scenarios._yaml import Path_
from scenarios.errors import ScenarioError, UnknownVariantError, close_match
from scenarios.variants import Variant, deep_merge

if TYPE_CHECKING:
    from scenarios.scenario import Scenario


class OverlayError(Exception):
    """A variant names something the scenario does not have."""

    def __init__(self, path: Path_, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.hint = hint


def apply_variant_data(data: dict[str, Any], variant: Variant) -> dict[str, Any]:
    """Return the scenario data with the variant applied (and the variants list emptied); `data` is not changed.

    The result shares the items the variant leaves alone with `data` (neither is changed afterwards): copying the
    whole scenario for each variant would make a file's checking time grow with its variants times its size.

    Raises:
        OverlayError: the variant changes or removes an id the section does not have, or adds one it has.
    """
    result = {key: value for key, value in data.items() if key != "variants"}
    result["variants"] = []
    for section in dict.fromkeys([*variant.remove, *variant.change, *variant.add]):
        _copy_lists(result, section)
    for section, ids in variant.remove.items():
        for index, item_id in enumerate(ids):
            items, position = _find(result, section, item_id, ("remove", section, index))
            del items[position]
    for section, changes in variant.change.items():
        for item_id, patch in changes.items():
            if "id" in patch and patch["id"] != item_id:
                raise OverlayError(("change", section, item_id, "id"), "a variant cannot rename an item")
            items, position = _find(result, section, item_id, ("change", section, item_id))
            items[position] = deep_merge(items[position], patch)
    for section, new_items in variant.add.items():
        existing = {item.get("id") for items in _lists(result, section) for item in items if isinstance(item, dict)}
        for index, item in enumerate(new_items):
            if isinstance(item.get("id"), str) and item["id"] in existing:  # other ids are refused by the models
                raise OverlayError(
                    ("add", section, index, "id"),
                    f"{section} already has {item.get('id')!r}",
                    "use change to modify an existing item",
                )
            _target(result, section, item, ("add", section, index)).append(_without_owner(item, section))
    for part, patch in variant.patch.items():
        current = result.get(part)
        result[part] = deep_merge(current, patch) if isinstance(current, dict) else copy.deepcopy(patch)
    return result


def _copy_lists(result: dict[str, Any], section: str) -> None:
    """Give `result` its own copies of the lists (and their holders) that hold a section's items."""
    if section == "rules":
        stakeholders = result.get("stakeholders")
        if isinstance(stakeholders, list):
            result["stakeholders"] = [_with_own_list(sh, "playbook") for sh in stakeholders]
    elif section == "phases":
        result["threat"] = _with_own_list(result.get("threat"), "phases")
    elif isinstance(result.get(section), list):
        result[section] = list(result[section])


def _with_own_list(holder: Any, key: str) -> Any:
    if not isinstance(holder, dict):
        return holder
    copied = dict(holder)
    if isinstance(copied.get(key), list):
        copied[key] = list(copied[key])
    return copied


def _lists(result: dict[str, Any], section: str) -> list[list[dict[str, Any]]]:
    """The lists that hold a section's items: rules live in each stakeholder's playbook, phases in the threat."""
    if section == "rules":
        return [sh.setdefault("playbook", []) for sh in result.get("stakeholders", []) if isinstance(sh, dict)]
    if section == "phases":
        threat = result.get("threat")
        return [threat.setdefault("phases", [])] if isinstance(threat, dict) else []
    return [result.setdefault(section, [])]


def _find(result: dict[str, Any], section: str, item_id: str, path: Path_) -> tuple[list[dict[str, Any]], int]:
    ids: list[str] = []
    for items in _lists(result, section):
        for position, item in enumerate(items):
            if isinstance(item, dict) and item.get("id") == item_id:
                return items, position
            if isinstance(item, dict):
                ids.append(str(item.get("id")))
    close = close_match(item_id, ids)
    hint = f"did you mean {close!r}?" if close else None
    raise OverlayError(path, f"{section} has no {item_id!r}", hint)


def _target(result: dict[str, Any], section: str, item: dict[str, Any], path: Path_) -> list[dict[str, Any]]:
    """The list a new item goes into (a new rule names its stakeholder)."""
    if section == "rules":
        owner = item.get("stakeholder")
        for sh in result.get("stakeholders", []):
            if isinstance(sh, dict) and sh.get("id") == owner:
                playbook: list[dict[str, Any]] = sh.setdefault("playbook", [])
                return playbook
        raise OverlayError(
            (*path, "stakeholder"),
            f"a new rule needs the stakeholder whose playbook it joins (got {owner!r})",
            "add stakeholder: <stakeholder id> to the rule",
        )
    lists = _lists(result, section)
    if not lists:
        raise OverlayError(path, f"the scenario has no {section} to add to", "give the scenario a threat first")
    return lists[0]


def _without_owner(item: dict[str, Any], section: str) -> dict[str, Any]:
    copied = copy.deepcopy(item)
    if section == "rules":
        copied.pop("stakeholder", None)
    return copied


def apply_variant(scenario: Scenario, variant_id: str | None) -> Scenario:
    """The scenario with one of its variants applied (itself when `variant_id` is None).

    Raises:
        UnknownVariantError: the scenario has no such variant.
        ScenarioError: the variant does not apply to the scenario.
    """
    if variant_id is None:
        return scenario
    from scenarios._yaml import Document

    variants = {variant.id: variant for variant in scenario.variants}
    if variant_id not in variants:
        close = close_match(variant_id, variants)
        hint = f"did you mean {close!r}?" if close else f"its variants: {', '.join(variants) or 'none'}"
        raise UnknownVariantError(scenario.id, variant_id, hint)
    data = scenario.model_dump(mode="json", by_alias=True)
    try:
        patched = apply_variant_data(data, variants[variant_id])
    except OverlayError as exc:
        raise ScenarioError.simple(scenario.id, f"variant {variant_id!r}: {exc.message}", exc.hint) from None
    from scenarios.loader import validate_data

    result, errors = validate_data(patched, Document(scenario.id, patched, {}), ())
    if result is None:
        raise ScenarioError(errors)
    return result
