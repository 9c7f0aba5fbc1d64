"""An in-memory GroupStore for tests of incremental and parallel runs: it counts hits and misses."""

from __future__ import annotations

import hashlib

from checker.accel.incremental import GroupStore


class CountingStore:
    """An in-memory store that counts how many groups were computed (misses) and reused (hits)."""

    def __init__(self) -> None:
        self.entries: dict[str, object] = {}
        self.hits = self.misses = 0

    def get(self, key: str) -> object | None:
        value = self.entries.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, value: object) -> None:
        self.entries[key] = value

    def store(self, has: bool = False) -> GroupStore:
        return GroupStore(self.get, self.put, lambda *p: hashlib.sha256(repr(p).encode()).hexdigest(),
                          (lambda key: key in self.entries) if has else None)
