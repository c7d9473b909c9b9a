"""Per-process stores of values that are cheap to make again: each empties itself when full."""


class Kept(dict):
    """A dict that empties itself rather than grow past `limit` (no bookkeeping on the hot
    path: whatever is dropped is made again at its next use)."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def keep(self, key, value):
        """Store a value under a key, emptying the store first when it is full; return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
