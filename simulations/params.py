"""Declared simulation parameters: one declaration drives the sliders, the validation and the JSON."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Union

Value = Union[int, float, str]


@dataclass(frozen=True)
class Number:
    """A numeric parameter shown as a slider (plus a number box) and checked against [min, max]."""

    name: str
    label: str
    unit: str
    min: float
    max: float
    step: float
    default: float
    group: str = ""
    integer: bool = False

    def allowed(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{_fmt(self.min)}–{_fmt(self.max)}{unit}"

    def describe(self) -> dict:
        return {"name": self.name, "label": self.label, "unit": self.unit, "min": self.min,
                "max": self.max, "step": self.step, "default": self.default, "integer": self.integer}


@dataclass(frozen=True)
class Choice:
    """A parameter with a few named values, shown as a row of radio buttons."""

    name: str
    label: str
    options: tuple[tuple[str, str], ...]  # (value, Chinese label)
    default: str
    group: str = ""

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.options)

    def allowed(self) -> str:
        return " / ".join(self.values)

    def describe(self) -> dict:
        return {"name": self.name, "label": self.label, "values": list(self.values), "default": self.default}


Param = Union[Number, Choice]


class ParamError(ValueError):
    """A parameter that is missing its range or is not a number; carries what the 400 reply says."""

    def __init__(self, param: Param, raw: str, reason: str):
        self.param, self.raw, self.reason = param, raw, reason
        super().__init__(f"参数 {param.name}「{param.label}」{reason}：收到“{raw}”，允许 {param.allowed()}")

    def to_dict(self) -> dict:
        body = {"error": str(self), "param": self.param.name, "label": self.param.label, "value": self.raw,
                "allowed": self.param.allowed()}
        if isinstance(self.param, Number):
            body.update(min=self.param.min, max=self.param.max)
        else:
            body.update(values=list(self.param.values))
        return body


def _fmt(x: float) -> str:
    return f"{x:g}"


def parse_one(param: Param, raw: str) -> Value:
    """One raw query-string value → a checked value, or ParamError."""
    if isinstance(param, Choice):
        if raw not in param.values:
            raise ParamError(param, raw, "不是允许的取值")
        return raw
    try:
        number = float(raw.strip())
    except ValueError:
        raise ParamError(param, raw, "不是数字") from None
    if not math.isfinite(number):
        raise ParamError(param, raw, "不是数字")
    if not param.min <= number <= param.max:
        raise ParamError(param, raw, "超出允许范围")
    if param.integer and not number.is_integer():
        raise ParamError(param, raw, "必须是整数")
    return _tidy(number)


def _tidy(number: float) -> int | float:
    """Whole numbers as int, so 8 stays "8" in the URL, the slider and the JSON."""
    return int(number) if float(number).is_integer() else number


def defaults(params: tuple[Param, ...]) -> dict[str, Value]:
    return {p.name: (_tidy(p.default) if isinstance(p, Number) else p.default) for p in params}


def parse(params: tuple[Param, ...], args: Mapping[str, str]) -> dict[str, Value]:
    """Strict: missing parameters take their defaults, unknown ones are ignored, a bad one raises."""
    values = defaults(params)
    for param in params:
        if param.name in args:
            values[param.name] = parse_one(param, args[param.name])
    return values


def parse_lenient(params: tuple[Param, ...], args: Mapping[str, str]) -> tuple[dict[str, Value], list[ParamError]]:
    """For the HTML page: a bad parameter falls back to its default and is reported, never fatal."""
    values = defaults(params)
    errors: list[ParamError] = []
    for param in params:
        if param.name in args:
            try:
                values[param.name] = parse_one(param, args[param.name])
            except ParamError as error:
                errors.append(error)
    return values, errors


def groups(params: tuple[Param, ...]) -> list[tuple[str, list[Param]]]:
    """Parameters grouped by their `group`, in declaration order (one fieldset each on the page)."""
    grouped: dict[str, list[Param]] = {}
    for param in params:
        grouped.setdefault(param.group, []).append(param)
    return list(grouped.items())
