"""Changes given on the command line: `--set PATH=VALUE`, `--vary PATH=V1,V2,...` and
`--cost PATH=COST_PER_UNIT`.

Paths follow `sim.paths` (`phone.shifts[0].staff`); values are read as TOML values (`3`, `0.8`,
`true`, `2022-05-09`, `"text"`, `[1, 2]`), and anything TOML cannot read is taken as bare text, so
the scenario's validation names the key when it expected a number.
"""

from __future__ import annotations

import json
import math
import tomllib
from typing import Any

from sim.errors import Refused
from sim.paths import PathError, parse_path


def parse_value(text: str) -> Any:
    """A value as TOML reads it, or the text itself when it is no TOML value."""
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        return text


def _assignment(option: str, text: str, right: str) -> tuple[str, str]:
    """(path, the text after "=") of `PATH=...`, the path checked against the grammar."""
    path, equals, value = text.partition("=")
    path = path.strip()
    if not equals or not path:
        raise Refused(f"{option} {text!r}: expected {right}, such as "
                      "support_desk.surge_agents=4")
    try:
        parse_path(path)
    except PathError as e:
        raise Refused(f"{option} {text!r}: {e}") from None
    return path, value.strip()


def parse_set(text: str) -> tuple[str, Any]:
    """`--set PATH=VALUE` as (path, value)."""
    path, value = _assignment("--set", text, "PATH=VALUE")
    if not value:
        raise Refused(f"--set {text!r}: no value after '='; accepted: PATH=VALUE")
    return path, parse_value(value)


def parse_vary(text: str) -> tuple[str, list[Any]]:
    """`--vary PATH=V1,V2,...` as (path, values): at least one value, none repeated."""
    path, listed = _assignment("--vary", text, "PATH=V1,V2,...")
    whole = parse_value(f"[{listed}]") if listed else []
    values = whole if isinstance(whole, list) else [parse_value(v.strip())
                                                     for v in listed.split(",")]
    if not values or any(v == "" for v in values):
        raise Refused(f"--vary {text!r}: an empty value; accepted: PATH=V1,V2,... with at least "
                      "one value")
    check_values("--vary", path, values)
    return path, values


def check_values(option: str, path: str, values: list[Any]) -> list[Any]:
    """`values` of one varied path: at least one, none twice."""
    if not values:
        raise Refused(f"{option} {path}: no values; accepted: at least one")
    shown = [json.dumps(v, default=str) for v in values]
    if len(set(shown)) < len(shown):
        raise Refused(f"{option} {path}: a value given twice ({', '.join(shown)}); accepted: "
                      "distinct values")
    return values


def parse_cost(text: str) -> tuple[str, float]:
    """`--cost PATH=COST_PER_UNIT` as (path, cost): a finite number of at least 0."""
    path, value = _assignment("--cost", text, "PATH=COST_PER_UNIT")
    cost = parse_value(value)
    if isinstance(cost, bool) or not isinstance(cost, int | float) or not math.isfinite(cost) \
            or cost < 0:
        raise Refused(f"--cost {text!r}: found {value!r}; accepted: a finite number of at "
                      "least 0 (the cost of one unit of the lever)")
    return path, float(cost)


def as_json(changes: dict[str, Any]) -> dict[str, Any]:
    """Changes as JSON can hold them (dates and times as ISO text), for manifest.json."""
    result: dict[str, Any] = json.loads(json.dumps(changes, default=str))
    return result
