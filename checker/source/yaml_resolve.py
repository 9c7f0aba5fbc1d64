"""The YAML tag resolver both builders share: a safe loader with memoised tag resolution, and the tags allowed.

checker.source.yaml_tree composes nodes with it; checker.source.yaml_fast asks it the tag of each plain
scalar the C side hands back, so that both builders read every value the same way.
"""

from __future__ import annotations

import warnings
from typing import Any

from ruamel.yaml.error import MantissaNoDotYAML1_1Warning
from ruamel.yaml.nodes import ScalarNode, SequenceNode

try:  # the C parser; the pure-Python one is the fallback (PyPy, missing wheel)
    from ruamel.yaml.cyaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - exercised only without ruamel.yaml.clib
    from ruamel.yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class TagLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader with a short cut in tag resolution, which the C parser calls once per node.

    Quoted scalars, sequences and mappings always get the default tag (we register no path
    resolvers); only plain scalars need the implicit resolvers' regular expressions.
    """

    _plain: dict[tuple[str, bool], Any] = {}
    """Tags of plain scalars already resolved (keys such as `text:` repeat thousands of times)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode:
            if not implicit[0]:
                return self.DEFAULT_SCALAR_TAG
            key = (value, implicit[1])
            tag = self._plain.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 64 and len(self._plain) < 50_000:  # bounded, whatever the input
                    self._plain[key] = tag
            return tag
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG

# ruamel warns on stderr about floats such as 1e5 (no dot); the value is read all the same, and
# stderr is for our own messages, not a library's advice.
warnings.filterwarnings("ignore", category=MantissaNoDotYAML1_1Warning)

STD_TAG = "tag:yaml.org,2002:"
SCALAR_TAGS = frozenset(STD_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
"""The scalar tags a plain value may have; any other tag is refused."""
STR_TAG, SEQ_TAG, MAP_TAG = STD_TAG + "str", STD_TAG + "seq", STD_TAG + "map"

__all__ = ["MAP_TAG", "SCALAR_TAGS", "SEQ_TAG", "STD_TAG", "STR_TAG", "TagLoader"]
