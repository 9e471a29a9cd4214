"""Reading and writing scenario files, with errors a person can act on.

Every problem in a file is reported at once, each naming the file, the dotted key path, what was
found and what is accepted, so that `golive-sim check` can list them without a traceback.
"""

from __future__ import annotations

import difflib
import tomllib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ValidationError

from sim.scenario import Scenario


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ScenarioError(Exception):
    """A scenario file that cannot be used, with every problem found in it."""

    def __init__(self, file: Path | str, problems: list[Problem]) -> None:
        self.file = str(file)
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        """The problems as lines for a person: the file first, one problem a line."""
        count = len(self.problems)
        head = f"{self.file}: {count} problem{'s' if count != 1 else ''}"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


EXTENDS = "extends"
"""Key naming a base scenario file (relative to this one) whose values this file overrides."""


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raise ScenarioError listing every problem."""
    return scenario_from_dict(_read_with_base(Path(path), seen=()), source=path)


def _read_with_base(path: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    """The file's tables merged over those of the scenario it `extends`, if any."""
    data = _read_toml(path)
    base = data.pop(EXTENDS, None)
    if base is None:
        return data
    if not isinstance(base, str):
        raise ScenarioError(path, [Problem(EXTENDS, f"found {_show(base)}; accepted: a file "
                                                    "name in quotes")])
    base_path = (path.parent / base).resolve()
    if base_path in seen:
        raise ScenarioError(path, [Problem(EXTENDS, f"'{base}' extends this file again (a loop)")])
    if not base_path.is_file():
        raise ScenarioError(path, [Problem(EXTENDS, f"found '{base}'; no such scenario file "
                                                    f"next to {path.name}")])
    return _merge(_read_with_base(base_path, (*seen, path.resolve())), data)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value (lists included) replaces the base's."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise ScenarioError(path, [Problem("", "no such file")]) from None
    except IsADirectoryError:
        raise ScenarioError(path, [Problem("", "is a directory, not a scenario file")]) from None
    except PermissionError:
        raise ScenarioError(path, [Problem("", "cannot be read (permission denied)")]) from None
    except UnicodeDecodeError as e:
        message = f"is not UTF-8 text (byte {e.start} cannot be decoded): is it a TOML file?"
        raise ScenarioError(path, [Problem("", message)]) from None
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(path, [Problem("", f"malformed TOML: {e}")]) from None


def scenario_from_dict(data: dict[str, Any], source: str | Path = "<scenario>") -> Scenario:
    """Validate a scenario given as nested dicts (as TOML reads it)."""
    if not data:
        raise ScenarioError(source, [Problem("", "the file is empty: a scenario needs at least "
                                                 "[calendar] and one service table")])
    try:
        return Scenario.model_validate(data)
    except ValidationError as e:
        errors = e.errors()
        problems = [_problem(err) for err in errors if not _echo(err, errors)]
        raise ScenarioError(source, problems) from None


def _echo(error: Any, errors: list[Any]) -> bool:
    """A list's "too short" that only repeats the failure of one of its own entries."""
    loc = error["loc"]
    return error["type"] == "too_short" and any(
        other["loc"][: len(loc)] == loc and len(other["loc"]) > len(loc) for other in errors
    )


def scenario_to_toml(scenario: Scenario) -> str:
    """The scenario as TOML text, every default filled in (the resolved scenario as run)."""
    return tomli_w.dumps(scenario.model_dump(mode="python", exclude_none=True))


def _problem(error: Any) -> Problem:
    path, model = _walk(error["loc"])
    kind, ctx = error["type"], error.get("ctx", {})
    found = error.get("input")
    if kind == "extra_forbidden":
        name = str(error["loc"][-1])
        allowed = sorted(model.model_fields) if model else []
        guess = difflib.get_close_matches(name, allowed, n=1, cutoff=0.5)
        hint = f"; did you mean '{guess[0]}'?" if guess else ""
        return Problem(path, f"unknown key{hint} (accepted keys: {', '.join(allowed)})")
    if kind == "missing":
        return Problem(path, "required key is missing")
    return Problem(path, f"found {_show(found)}; {_accepted(kind, ctx, error['msg'])}")


def _accepted(kind: str, ctx: dict[str, Any], msg: str) -> str:
    bounds = {
        "greater_than": "a number greater than {gt}",
        "greater_than_equal": "a number of at least {ge}",
        "less_than": "a number less than {lt}",
        "less_than_equal": "a number of at most {le}",
        "literal_error": "one of {expected}",
        "union_tag_invalid": "a distribution with dist = one of {expected_tags}",
        "too_short": "at least {min_length} entries",
        "too_long": "at most {max_length} entries",
    }
    types_ = {
        "float_type": "a number",
        "float_parsing": "a number",
        "int_type": "a whole number",
        "int_parsing": "a whole number",
        "int_from_float": "a whole number",
        "bool_type": "true or false",
        "bool_parsing": "true or false",
        "string_type": "text in quotes",
        "date_type": "a date such as 2022-05-07",
        "date_parsing": "a date such as 2022-05-07",
        "date_from_datetime_inexact": "a date such as 2022-05-07 (no time of day)",
        "datetime_type": "a date and time such as 2022-05-07T03:00:00",
        "datetime_parsing": "a date and time such as 2022-05-07T03:00:00",
        "datetime_from_date_parsing": "a date and time such as 2022-05-07T03:00:00",
        "tuple_type": "a list [...]",
        "list_type": "a list [...]",
        "model_type": "a table",
        "model_attributes_type": "a table",
        "dict_type": "a table",
        "union_tag_not_found": "a table with a 'dist' key (fixed, exponential, lognormal, "
        "gamma or empirical)",
    }
    if kind in bounds:
        return "accepted: " + bounds[kind].format(**ctx)
    if kind in types_:
        return "accepted: " + types_[kind]
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    return msg


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _walk(loc: tuple[Any, ...]) -> tuple[str, type[BaseModel] | None]:
    """Dotted display path of a pydantic error location, and the model holding its last key.

    Union tags that pydantic puts in locations (e.g. 'lognormal') are dropped from the path.
    """
    parts: list[str] = []
    annotation: Any = Scenario
    model: type[BaseModel] | None = Scenario
    for i, key in enumerate(loc):
        model = _model_of(annotation)
        if isinstance(key, int):
            parts.append(f"[{key}]")
            annotation = _item_type(annotation)
            continue
        if model is None:
            tagged = _union_member(annotation, key)
            if tagged is not None:
                annotation = tagged
                continue
        if model is not None and key in model.model_fields:
            if i < len(loc) - 1:
                annotation = model.model_fields[key].annotation
        parts.append(("." if parts else "") + str(key))
    return "".join(parts), model


def _strip(annotation: Any) -> list[Any]:
    """The concrete types inside Optional/Union/Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _strip(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(annotation) for t in _strip(a)]
    return [annotation]


def _model_of(annotation: Any) -> type[BaseModel] | None:
    models = [t for t in _strip(annotation) if isinstance(t, type) and issubclass(t, BaseModel)]
    return models[0] if len(models) == 1 else None


def _item_type(annotation: Any) -> Any:
    for t in _strip(annotation):
        args = typing.get_args(t)
        if args:
            return args[0]
    return annotation


def _union_member(annotation: Any, tag: str) -> Any:
    for t in _strip(annotation):
        if isinstance(t, type) and issubclass(t, BaseModel) and "dist" in t.model_fields:
            if tag in typing.get_args(t.model_fields["dist"].annotation):
                return t
    return None
