"""Per-entity random streams: derived from the run seed and an entity id with SHA-256, never from `hash()`."""

from __future__ import annotations

import hashlib
import random


def stream(seed: int, entity: str) -> random.Random:
    """A random generator of its own for one entity (`channel:cs-phone-110`, `rule:armed-go`...).

    The same seed and id give the same stream on any machine and under any `PYTHONHASHSEED`; streams of different
    entities are independent, so adding an entity does not change what the others draw (common random numbers).
    """
    digest = hashlib.sha256(f"{seed}\x00{entity}".encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


class Streams:
    """The streams of one run, created on first use."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.created: dict[str, random.Random] = {}
        """The streams created so far, by entity (read-only: a look-up here is cheaper than a call)."""

    def __call__(self, entity: str) -> random.Random:
        """The stream of `entity`."""
        rng = self.created.get(entity)
        if rng is None:
            rng = self.created[entity] = stream(self.seed, entity)
        return rng
