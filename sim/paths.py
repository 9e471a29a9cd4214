"""Scenario keys by path: `phone.shifts[0].staff`, `support_desk.surge_agents`.

One grammar for every place that names a key (`vary`, `--set`, sweeps, the `[uncertainty]` and
`[levers]` tables): table names joined by dots, each optionally followed by list indices.
"""

from __future__ import annotations

import re
from typing import Any

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)")
_INDEX = re.compile(r"\[(\d+)\]")


class PathError(ValueError):
    """A path that is not written by the grammar, or that leads nowhere in the scenario."""


def parse_path(path: str) -> list[str | int]:
    """The steps of a path: names (table keys) and whole numbers (list indices)."""
    steps: list[str | int] = []
    for part in path.split("."):
        match = _STEP.fullmatch(part)
        if match is None:
            raise PathError(f"{path!r} is not a key path; accepted: names joined by dots, each "
                            "optionally followed by list indices, such as phone.shifts[0].staff")
        steps.append(match.group(1))
        steps.extend(int(i) for i in _INDEX.findall(match.group(2)))
    return steps


def get_path(data: dict[str, Any], path: str) -> Any:
    """The value at `path` in nested tables and lists; PathError where the path leads nowhere."""
    node: Any = data
    for done, step in _walk(path):
        node = _child(node, step, done, path)
    return node


def set_path(data: dict[str, Any], path: str, value: Any) -> str | None:
    """Set the value at `path` in place. Missing tables on the way are created (the scenario's
    validation then names what they lack), and the first of them is returned (None when every
    table was there); a list index must exist."""
    steps = parse_path(path)
    node: Any = data
    created = None
    for i, step in enumerate(steps[:-1]):
        done = _shown(steps[:i])
        if isinstance(step, str) and isinstance(node, dict) and node.get(step) is None:
            node[step] = [] if isinstance(steps[i + 1], int) else {}
            created = created or _shown(steps[:i + 1])
        node = _child(node, step, done, path)
    last = steps[-1]
    if isinstance(last, int):
        _check_index(node, last, _shown(steps[:-1]), path)
        node[last] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise PathError(f"{path}: {_shown(steps[:-1])} is {_kind(node)}, not a table")
    return created


def tables_holding(path: str) -> list[str]:
    """The tables and lists on the way to a key path: "a.b[0].c" -> "a", "a.b", "a.b[0]"."""
    steps = parse_path(path)
    return [_shown(steps[:i]) for i in range(1, len(steps))]


def lists_writable(data: Any) -> Any:
    """A copy of nested tables with every tuple turned into a list, so `set_path` can write."""
    if isinstance(data, dict):
        return {k: lists_writable(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [lists_writable(v) for v in data]
    return data


def _walk(path: str) -> list[tuple[str, str | int]]:
    steps = parse_path(path)
    return [(_shown(steps[:i]), step) for i, step in enumerate(steps)]


def _child(node: Any, step: str | int, done: str, path: str) -> Any:
    if isinstance(step, int):
        _check_index(node, step, done, path)
        return node[step]
    if not isinstance(node, dict):
        raise PathError(f"{path}: {done} is {_kind(node)}, not a table")
    if step not in node:
        raise PathError(f"{path}: {_shown([done, step]) if done else step} is not set")
    return node[step]


def _check_index(node: Any, index: int, done: str, path: str) -> None:
    if not isinstance(node, list | tuple):
        raise PathError(f"{path}: {done} is {_kind(node)}, not a list")
    if index >= len(node):
        raise PathError(f"{path}: {done} has {len(node)} entries, so no index {index} "
                        f"(the first is [0])")


def _kind(node: Any) -> str:
    if isinstance(node, dict):
        return "a table"
    if isinstance(node, list | tuple):
        return f"a list of {len(node)}"
    return f"a value ({node!r})"


def _shown(steps: list[Any]) -> str:
    text = ""
    for step in steps:
        if isinstance(step, int):
            text += f"[{step}]"
        elif step:
            text += f".{step}" if text else str(step)
    return text
