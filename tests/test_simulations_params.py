"""Declared parameters: one declaration gives defaults, strict parsing for data.json and lenient for pages."""
from __future__ import annotations

import pytest

from simulations import SIMULATIONS
from simulations.params import Choice, Number, ParamError, defaults, groups, parse, parse_lenient

N = Number("n", "交易年数 n", "年", 1, 30, 1, 10, "基本", integer=True)
R = Number("r", "利率 r", "%", 0, 30, 0.5, 8, "基本")
TIMING = Choice("timing", "现金流发生在", (("end", "年末"), ("begin", "年初")), "end", "设定")
PARAMS = (N, R, TIMING)


def test_missing_parameters_take_their_defaults():
    assert parse(PARAMS, {}) == {"n": 10, "r": 8, "timing": "end"}


def test_values_are_parsed_and_unknown_keys_ignored():
    assert parse(PARAMS, {"n": "12", "r": "7.5", "timing": "begin", "present": "1"}) == {
        "n": 12, "r": 7.5, "timing": "begin"}


def test_whole_numbers_come_back_as_int():
    assert parse(PARAMS, {"r": "8.0"})["r"] == 8 and isinstance(parse(PARAMS, {"r": "8.0"})["r"], int)


@pytest.mark.parametrize("raw, reason", [
    ("31", "超出允许范围"), ("0", "超出允许范围"), ("abc", "不是数字"), ("", "不是数字"), ("nan", "不是数字"),
    ("inf", "不是数字"), ("2.5", "必须是整数"),
])
def test_bad_numbers_raise_an_error_naming_the_parameter_and_range(raw, reason):
    with pytest.raises(ParamError) as caught:
        parse(PARAMS, {"n": raw})
    assert caught.value.to_dict() == {
        "error": f"参数 n「交易年数 n」{reason}：收到“{raw}”，允许 1–30 年", "param": "n", "label": "交易年数 n",
        "value": raw, "allowed": "1–30 年", "min": 1, "max": 30}


def test_a_bad_choice_lists_the_allowed_values():
    with pytest.raises(ParamError) as caught:
        parse(PARAMS, {"timing": "middle"})
    assert (caught.value.to_dict()["param"], caught.value.to_dict()["values"]) == ("timing", ["end", "begin"])


def test_lenient_parsing_falls_back_to_defaults_and_reports():
    values, errors = parse_lenient(PARAMS, {"n": "99", "r": "9"})
    assert values == {"n": 10, "r": 9, "timing": "end"}
    assert [e.param.name for e in errors] == ["n"]


def test_groups_keep_declaration_order():
    assert [(name, [p.name for p in ps]) for name, ps in groups(PARAMS)] == [("基本", ["n", "r"]), ("设定", ["timing"])]


@pytest.mark.parametrize("name", list(SIMULATIONS))
def test_every_declared_default_is_within_its_range(name):
    for param in SIMULATIONS[name].params:
        if isinstance(param, Number):
            assert param.min <= param.default <= param.max, param.name
        else:
            assert param.default in param.values, param.name
    assert parse(SIMULATIONS[name].params, {}) == defaults(SIMULATIONS[name].params)


@pytest.mark.parametrize("name", list(SIMULATIONS))
def test_every_preset_names_declared_parameters_with_valid_values(name):
    sim = SIMULATIONS[name]
    declared = {p.name: p for p in sim.params}
    for label, preset in sim.presets:
        assert set(preset) <= set(declared), label
        parse(sim.params, {k: str(v) for k, v in preset.items()})  # raises if out of range


def test_clv_declares_the_textbook_parameter_names():
    assert {p.name for p in SIMULATIONS["clv"].params} >= {"n", "Co", "Po", "In", "r", "Cs", "p", "timing"}
