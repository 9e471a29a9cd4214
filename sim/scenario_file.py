"""Reading and writing scenario files, with errors a person can act on.

Every problem in a file is reported at once, each naming the file, the dotted key path, what was
found and what is accepted, so that `golive-sim check` can list them without a traceback.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import os
import re
import stat
import tomllib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ValidationError

from sim.scenario import NAME_PATTERN, NAME_RULE, Scenario


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ScenarioError(Exception):
    """A scenario file that cannot be used, with every problem found in it.

    `extended_by` names the files that (directly or through others) extend `file`, when the
    problem is in a base scenario rather than in the file that was asked for.
    """

    def __init__(
        self, file: Path | str, problems: list[Problem], extended_by: tuple[str, ...] = ()
    ) -> None:
        self.file = str(file)
        self.problems = problems
        self.extended_by = extended_by
        super().__init__(self.report())

    def report(self) -> str:
        """The problems as lines for a person: the file first, one problem a line."""
        count = len(self.problems)
        via = f" (extended by {' <- '.join(self.extended_by)})" if self.extended_by else ""
        head = f"{self.file}{via}: {count} problem{'s' if count != 1 else ''}"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


EXTENDS = "extends"
"""Key naming a base scenario file (relative to this one) whose values this file overrides."""

MAX_PATH_CHARACTERS = 1024
"""Longest `extends` path: longer ones are not file names on any system here."""

MAX_FILE_BYTES = 1_000_000
"""Largest scenario file read: the reference scenario is 10 KB; a bigger file is not a scenario."""

MAX_EXTENDS_DEPTH = 16
"""Longest chain of files extending each other; real variants extend one or two."""

MAX_PROBLEMS = 50
"""Problems listed for one file; the rest are counted, so a wrong file cannot flood the screen."""


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raise ScenarioError listing every problem."""
    data, _ = _read_with_base(Path(path), seen=())
    return scenario_from_dict(data, source=path)


FILE_MARK = "# --- scenario file: "
"""Starts the line naming each file in `source_text`."""


def source_text(path: str | Path) -> str:
    """The scenario file's text as written, after the text of each file it extends (base first,
    each after a comment line naming it), so that its comments, the sources of its numbers, are
    all kept and a file's comment overrides its base's like its values do (`key_comments`)."""
    chain = scenario_files(path)
    parts = [f"{FILE_MARK}{p}\n{p.read_text(encoding='utf-8-sig')}" for p in reversed(chain[1:])]
    return "\n".join([*parts, Path(path).read_text(encoding="utf-8-sig")])


def scenario_files(path: str | Path) -> list[Path]:
    """The file and the base files it extends, outermost first (the inputs of a run)."""
    return list(_read_with_base(Path(path), seen=())[1])


def _read_with_base(path: Path, seen: tuple[Path, ...]) -> tuple[dict[str, Any], tuple[Path, ...]]:
    """The file's tables merged over those of the scenario it `extends`, if any, and the files
    read.

    `seen` holds the files that extend this one, outermost first (to report loops and to name
    them when the problem is in a base file). A variant that sets no `name` of its own is named
    after its file.
    """
    data = _read_toml(path)
    base = data.pop(EXTENDS, None)
    chain = (*seen, path)
    if base is None:
        return data, chain
    if not isinstance(base, str):
        raise ScenarioError(path, [Problem(EXTENDS, f"found {_show(base)}; accepted: a file "
                                                    "name in quotes, relative to this file")])
    if "\0" in base or len(base) > MAX_PATH_CHARACTERS:
        raise ScenarioError(path, [Problem(EXTENDS, f"found {_show(base)}; accepted: a file "
                                                    f"name of at most {MAX_PATH_CHARACTERS} "
                                                    "characters, without NUL bytes")])
    if len(chain) > MAX_EXTENDS_DEPTH:
        raise ScenarioError(path, [Problem(EXTENDS, f"found a chain of more than "
                                                    f"{MAX_EXTENDS_DEPTH} files extending each "
                                                    "other; accepted: a shorter chain")])
    base_path = Path(os.path.normpath(path.parent / base))
    try:
        looped = base_path.resolve() in {p.resolve() for p in chain}
    except (OSError, RuntimeError):  # a symbolic link that points at itself, in a loop
        raise ScenarioError(path, [Problem(EXTENDS, f"found {_show(base)}, a symbolic link "
                                                    "loop or a path that cannot be "
                                                    "resolved")]) from None
    if looped:
        loop = " -> ".join(p.name for p in (*chain, base_path))
        raise ScenarioError(path, [Problem(EXTENDS, f"found {_show(base)}, which makes a loop: "
                                                    f"{loop}")])
    try:
        is_dir, is_file = base_path.is_dir(), base_path.is_file()
    except OSError as e:  # a name too long for the file system
        raise ScenarioError(path, [Problem(EXTENDS, f"found {_show(base)}, which cannot be a "
                                                    f"file ({e.strerror or e})")]) from None
    if is_dir:
        raise ScenarioError(path, [Problem(EXTENDS, f"found {_show(base)}, which is a directory; "
                                                    "accepted: a scenario file")])
    if not is_file:
        message = f"found {_show(base)}; no such scenario file (looked for {base_path})"
        raise ScenarioError(path, [Problem(EXTENDS, message)])
    try:
        base_data, files = _read_with_base(base_path, chain)
    except ScenarioError as e:
        if e.extended_by:
            raise
        names = tuple(str(p) for p in reversed(chain))
        raise ScenarioError(e.file, e.problems, extended_by=names) from None
    if "name" not in data and not seen:
        if not NAME_PATTERN.fullmatch(path.stem):
            raise ScenarioError(path, [Problem("name", f"required in a file that extends another "
                                                       f"(its file name {path.stem!r} cannot "
                                                       f"stand in: {NAME_RULE})")])
        data["name"] = path.stem
    return _merge(base_data, data), files


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value (lists included) replaces the base's, and so
    does a distribution table (one with `dist`), which is a value, not a set of keys."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and "dist" not in value and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise ScenarioError(path, [Problem("", "is a directory, not a scenario file")])
        if not stat.S_ISREG(status.st_mode):
            raise ScenarioError(path, [Problem("", "is not a regular file (a device, pipe or "
                                                   "socket); accepted: a scenario file")])
        if status.st_size > MAX_FILE_BYTES:
            raise ScenarioError(path, [Problem("", f"is {status.st_size:,} bytes; accepted: a "
                                                   f"scenario file of at most "
                                                   f"{MAX_FILE_BYTES:,} bytes")])
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError(path, [Problem("", "no such file")]) from None
    except PermissionError:
        raise ScenarioError(path, [Problem("", "cannot be read (permission denied)")]) from None
    except (OSError, ValueError) as e:  # ValueError: a NUL byte in the path
        reason = getattr(e, "strerror", None) or str(e)
        raise ScenarioError(path, [Problem("", f"cannot be read ({reason})")]) from None
    raw = raw.removeprefix(codecs.BOM_UTF8)  # as some Windows editors save UTF-8
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        column = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        message = (f"is not UTF-8 text (byte {raw[e.start]:#04x} at line {line}, column {column}): "
                   "is it a TOML file? Save it as UTF-8")
        raise ScenarioError(path, [Problem("", message)]) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(path, [Problem("", f"malformed TOML: {e}")]) from None
    except RecursionError:
        raise ScenarioError(path, [Problem("", "malformed TOML: arrays or tables nested too "
                                               "deeply")]) from None


def scenario_from_dict(data: dict[str, Any], source: str | Path = "<scenario>") -> Scenario:
    """Validate a scenario given as nested dicts (as TOML reads it)."""
    if not data:
        raise ScenarioError(source, [Problem("", "the file is empty: a scenario needs at least "
                                                 "[calendar] and one service table")])
    try:
        return Scenario.model_validate(data)
    except ValidationError as e:
        errors = e.errors()
        problems: dict[Problem, None] = {}  # a short fixed-length list fails once per entry
        for err in errors:
            if len(problems) == MAX_PROBLEMS:
                break
            if not _echo(err, errors):
                problems[_problem(err)] = None
        listed = list(problems)
        if len(errors) > len(listed) and len(problems) == MAX_PROBLEMS:
            listed.append(Problem("", f"... and up to {len(errors) - MAX_PROBLEMS:,} more "
                                      "problems"))
        raise ScenarioError(source, listed) from None


def _echo(error: Any, errors: list[Any]) -> bool:
    """A list's "too short" that only repeats the failure of one of its own entries."""
    loc = error["loc"]
    return error["type"] == "too_short" and any(
        other["loc"][: len(loc)] == loc and len(other["loc"]) > len(loc) for other in errors
    )


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')
_TABLE = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.\"\' -]+?)\s*=")


def key_comments(text: str) -> dict[str, str]:
    """The comment on the line of each key of a scenario file, by dotted key path
    ("standards.phone.min_service_level" -> "akuttmedisinforskriften § 13: ..."): where every
    number's source is written. Entries of an array of tables are numbered ("shifts[0]")."""
    comments: dict[str, str] = {}
    prefix = ""
    counts: dict[str, int] = {}
    for line in text.splitlines():
        if line.startswith(FILE_MARK):  # a new file of `source_text`: back at its top level
            prefix, counts = "", {}
            continue
        code, _, comment = _STRING.sub(lambda m: "_" * len(m.group()), line).partition("#")
        comment = line[len(code) + 1:].strip() if comment else ""
        table = _TABLE.match(line)
        if table:
            name = table.group(2).replace('"', "").replace(" ", "")
            if table.group(1) == "[[":
                counts[name] = counts.get(name, -1) + 1
                name = f"{name}[{counts[name]}]"
            prefix = name + "."
            continue
        key = _KEY.match(code)
        if key and comment:  # the key as written: a quoted key may hold a path with [ and ]
            written = line[key.start(1):key.end(1)]
            comments[prefix + written.replace('"', "").replace(" ", "")] = comment
    return comments


def scenario_to_toml(scenario: Scenario) -> str:
    """The scenario as TOML text, every default filled in (the resolved scenario as run)."""
    return tomli_w.dumps(scenario.model_dump(mode="python", exclude_none=True))


def _problem(error: Any) -> Problem:
    try:
        return _explain(error)
    except Exception:  # an error shape not foreseen here: pydantic's words beat a traceback
        return Problem(".".join(str(k) for k in error["loc"]), error["msg"])


def _explain(error: Any) -> Problem:
    """One validation error as a problem: the dotted key path, what was found, what is accepted."""
    loc = tuple(error["loc"])
    path, model = _walk(loc)
    kind, ctx = error["type"], error.get("ctx", {})
    found = error.get("input")
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = sorted(model.model_fields) if model else []
        if model is Scenario and len(loc) == 1:
            allowed = sorted([*allowed, EXTENDS])
        guess = difflib.get_close_matches(name, allowed, n=1, cutoff=0.5)
        hint = f"; did you mean '{guess[0]}'?" if guess else ""
        return Problem(path, f"unknown key{hint} (accepted keys: {', '.join(allowed)})")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tags = ", ".join(_union_tags(loc))
        if kind == "union_tag_not_found":
            return Problem(f"{path}.dist", f"required key is missing; accepted: one of {tags}")
        shown = found.get("dist") if isinstance(found, dict) else ctx.get("tag")
        return Problem(f"{path}.dist", f"found {_show(shown)}; accepted: one of {tags}")
    if kind == "missing" and loc and isinstance(loc[-1], int):
        # a fixed-length list (such as an opening-hours pair) with entries missing
        list_path, _ = _walk(loc[:-1])
        return Problem(list_path, _length_problem(loc[:-1], found))
    if kind == "missing":
        return Problem(path, "required key is missing")
    if kind in ("too_short", "too_long") and isinstance(found, list | tuple):
        return Problem(path, _length_problem(loc, found))
    if kind in ("value_error", "assertion_error") and isinstance(found, dict):
        # a check across the keys of a table: point at the key its message starts with
        message = _accepted(kind, ctx, error["msg"])
        first = message.split(" ", 1)[0]
        return Problem(f"{path}.{first}" if first in found else path, message)
    return Problem(path, f"found {_show(found)}; {_accepted(kind, ctx, error['msg'])}")


def _length_problem(loc: tuple[Any, ...], found: Any) -> str:
    """What is wrong with the number of entries of the list at `loc`."""
    low, high = _length_bounds(loc)
    count = len(found) if isinstance(found, list | tuple) else None
    if count is not None and low is not None and high is not None and low != high:
        low, high = (low, None) if count < low else (None, high)
    if low is not None and low == high:
        accepted = f"exactly {_entries(low)}"
    elif low is not None and high is not None:
        accepted = f"from {low} to {high} entries"
    elif low is not None:
        accepted = f"at least {_entries(low)}"
    elif high is not None:
        accepted = f"at most {_entries(high)}"
    else:
        accepted = "a different number of entries"
    shown = f"{_entries(count)} {_show(found)}" if count else _show(found)
    return f"found {shown}; accepted: {accepted}"


def _entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def _length_bounds(loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
    """Fewest and most entries the list at `loc` may have, from the schema."""
    _, model = _walk(loc)
    key = loc[-1] if loc else None
    if model is None or not isinstance(key, str) or key not in model.model_fields:
        return None, None
    field = model.model_fields[key]
    low = next((m.min_length for m in field.metadata if hasattr(m, "min_length")), None)
    high = next((m.max_length for m in field.metadata if hasattr(m, "max_length")), None)
    for t in _strip(field.annotation):
        args = typing.get_args(t)
        if typing.get_origin(t) is tuple and args and Ellipsis not in args:
            return len(args), len(args)
    return low, high


def _union_tags(loc: tuple[Any, ...]) -> list[str]:
    """The `dist` values accepted by the distribution at `loc`."""
    _, model = _walk(loc)
    key = loc[-1] if loc else None
    tags: list[str] = []
    annotation: Any = None
    if model is not None and isinstance(key, str) and key in model.model_fields:
        annotation = model.model_fields[key].annotation
    elif len(loc) > 1:  # an entry of a table keyed by path (`[uncertainty]`)
        _, parent = _walk(loc[:-1])
        if parent is not None and loc[-2] in parent.model_fields:
            annotation = _mapping_values(parent.model_fields[loc[-2]].annotation)
    if annotation is not None:
        for t in _strip(annotation):
            if isinstance(t, type) and issubclass(t, BaseModel) and "dist" in t.model_fields:
                tags += [f"'{a}'" for a in typing.get_args(t.model_fields["dist"].annotation)]
    return tags or ["'fixed'", "'exponential'", "'lognormal'", "'gamma'", "'empirical'"]


def _accepted(kind: str, ctx: dict[str, Any], msg: str) -> str:
    bounds = {
        "greater_than": "a number greater than {gt}",
        "greater_than_equal": "a number of at least {ge}",
        "less_than": "a number less than {lt}",
        "less_than_equal": "a number of at most {le}",
        "literal_error": "one of {expected}",
        "string_too_short": "text of at least {min_length} characters",
        "string_too_long": "text of at most {max_length} characters",
    }
    types_ = {
        "float_type": "a number",
        "float_parsing": "a number",
        "finite_number": "a finite number (not inf or nan)",
        "int_type": "a whole number",
        "int_parsing": "a whole number",
        "int_from_float": "a whole number",
        "bool_type": "true or false",
        "bool_parsing": "true or false",
        "string_type": "text in quotes",
        "date_type": "a date such as 2022-05-07",
        "date_parsing": "a date such as 2022-05-07",
        "date_from_datetime_parsing": "a date such as 2022-05-07 (without quotes)",
        "date_from_datetime_inexact": "a date such as 2022-05-07 (no time of day)",
        "datetime_type": "a date and time such as 2022-05-07T03:00:00",
        "datetime_parsing": "a date and time such as 2022-05-07T03:00:00",
        "datetime_from_date_parsing": "a date and time such as 2022-05-07T03:00:00 "
        "(without quotes)",
        "tuple_type": "a list [...]",
        "list_type": "a list [...]",
        "model_type": "a table",
        "model_attributes_type": "a table",
        "dict_type": "a table",
    }
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "accepted: text that is not empty"
    if kind in bounds:
        return "accepted: " + bounds[kind].format(**{k: _number(v) for k, v in ctx.items()})
    if kind in types_:
        return "accepted: " + types_[kind]
    if kind in ("value_error", "assertion_error"):
        return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return msg


def _number(value: Any) -> Any:
    """1.0 shown as 1, other values unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _show(value: Any) -> str:
    """A value as it would be written in TOML, shortened."""
    text = _toml(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return str(value)


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
        values = _mapping_values(annotation)
        if model is None and values is not None:  # a table keyed by path: `uncertainty."a.b"`
            parts.append(f'."{key}"')
            annotation = values
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


def key_path_hint(steps: list[str | int]) -> str:
    """Where the schema stops knowing a key path ("phon is no key of the scenario; did you mean
    'phone'?"), or "" when every name on it is a key of the schema."""
    for k, step in enumerate(steps):
        if not isinstance(step, str):
            continue
        shown, model = _walk(tuple(steps[: k + 1]))
        if model is None:
            return ""
        if step not in model.model_fields:
            known = sorted(model.model_fields)
            guess = difflib.get_close_matches(step, known, n=1, cutoff=0.5)
            hint = f"did you mean '{guess[0]}'?" if guess else f"accepted keys: {', '.join(known)}"
            return f"{shown} is no key of the scenario; {hint}"
    return ""


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


def _mapping_values(annotation: Any) -> Any:
    """The type of the values of a table with free keys (`dict[str, X]`), else None."""
    for t in _strip(annotation):
        if typing.get_origin(t) is dict:
            return typing.get_args(t)[1]
    return None


def _union_member(annotation: Any, tag: str) -> Any:
    for t in _strip(annotation):
        if isinstance(t, type) and issubclass(t, BaseModel) and "dist" in t.model_fields:
            if tag in typing.get_args(t.model_fields["dist"].annotation):
                return t
    return None
