"""Business rules: the shared golden reports (tests/golden/rule-results.json, produced by Rust
from the golden certificates and the real rules of several countries) replayed through
load_rules and Verification.evaluate_rules; one rule on given data (evaluate_rule); bare
CertLogic (evaluate_certlogic); typed errors."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any, Optional

import pytest

import dcc_kit
from conftest import GOLDEN, ROOT, example, golden_json, golden_text, utc

TESTS = ROOT / "tests"
REAL_RULES = TESTS / "vectors" / "rules" / "covpass-eu-rules.json"
RULES_XX: list[dict[str, Any]] = golden_json("rules-xx.json")
CASES: list[dict[str, Any]] = json.loads((GOLDEN / "rule-results.json").read_text())
VERIFY_AT = 1_622_592_000  # 2021-06-02: the golden certificates are valid then


def rfc3339(text: Optional[str]) -> Optional[datetime]:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def case_id(case: dict[str, Any]) -> str:
    kind = case["certificate"].split("-")[1]
    rules = "xx" if "rules" in case else "eu"
    return f"{kind}-{case['country']}-{case.get('region')}-{rules}-{case['at'][:10]}"


@pytest.fixture(scope="module")
def real_rules() -> dcc_kit.RuleSet:
    return dcc_kit.load_rules(REAL_RULES.read_bytes())


@pytest.fixture(scope="module")
def verifier() -> dcc_kit.Verifier:
    return dcc_kit.Verifier.from_certs(golden_text("dsc-es256.pem"))


def test_the_golden_file_has_every_outcome() -> None:
    assert len(CASES) >= 30
    outcomes = {c["expect"].get("outcome") for c in CASES}
    assert outcomes >= {"passed", "fail", "open"}
    rule_outcomes = {r["outcome"] for c in CASES for r in c["expect"].get("results", [])}
    assert rule_outcomes == {"passed", "fail", "open"}
    assert any("error" in c["expect"] for c in CASES)


def test_the_real_rules_load(real_rules: dcc_kit.RuleSet) -> None:
    assert len(real_rules) == 271
    assert repr(real_rules) == "RuleSet(rules=271)"


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_golden_case(case: dict[str, Any], real_rules: dcc_kit.RuleSet, verifier: dcc_kit.Verifier) -> None:
    hc1 = json.loads((TESTS / case["certificate"]).read_text())["hc1"]
    verification = verifier.verify(hc1, at=utc(VERIFY_AT))
    assert verification.valid, verification.failures
    rules = dcc_kit.load_rules((TESTS / case["rules"]).read_bytes()) if "rules" in case else real_rules
    expect = case["expect"]
    at = rfc3339(case.get("at"))
    if "error" in expect:
        with pytest.raises(dcc_kit.DccError) as raised:
            verification.evaluate_rules(rules, case["country"], case.get("region"), at)
        assert raised.value.code == expect["error"]
        assert type(raised.value) is dcc_kit.ERROR_CLASSES[expect["error"]]
        return
    report = verification.evaluate_rules(rules, case["country"], case.get("region"), at)
    assert isinstance(report, dcc_kit.RulesReport)
    assert dataclasses.asdict(report) == expect
    assert json.loads(report.to_json()) == expect
    for result in report.results:
        assert isinstance(result, dcc_kit.RuleResult)
        assert all(isinstance(d, dcc_kit.RuleDescription) for d in result.descriptions)
        assert (result.open_reason is None) == (result.outcome != "open")
        if result.open_reason is not None:
            assert isinstance(result.open_reason, dcc_kit.OpenReason)


def test_without_at_the_rules_are_evaluated_at_the_verification_time(verifier: dcc_kit.Verifier) -> None:
    hc1 = golden_json("issued-vaccination-es256.json")["hc1"]
    verification = verifier.verify(hc1, at=utc(VERIFY_AT))
    report = verification.evaluate_rules(dcc_kit.load_rules(json.dumps(RULES_XX)), "xx")
    assert report.validation_clock == VERIFY_AT and report.country == "XX"
    with pytest.raises(dcc_kit.InvalidOptionsError):
        verification.evaluate_rules(dcc_kit.load_rules(RULES_XX), "XX", at=datetime(2021, 6, 10))
    with pytest.raises(TypeError):
        verification.evaluate_rules(RULES_XX, "XX")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# One rule, bare CertLogic


def rule(identifier: str) -> dict[str, Any]:
    return next(r for r in RULES_XX if r["Identifier"] == identifier)


def data(country: str) -> dict[str, Any]:
    return {
        "payload": example("vaccination"),
        "external": {"countryCode": country, "validationClock": "2021-06-10T00:00:00Z"},
    }


def test_evaluate_rule_gives_passed_fail_and_open() -> None:
    passed = dcc_kit.evaluate_rule(rule("GR-XX-0001"), data("XX"))
    assert isinstance(passed, dcc_kit.RuleResult)
    assert (passed.identifier, passed.outcome, passed.open_reason) == ("GR-XX-0001", "passed", None)
    assert (passed.rule_type, passed.certificate_type, passed.country) == ("acceptance", "general", "XX")
    descriptions = [dcc_kit.RuleDescription("en", "passes"), dcc_kit.RuleDescription("de", "passes (de)")]
    assert passed.descriptions == descriptions
    assert passed.affected_fields == ["v.0.dn"]
    # JSON text (str or bytes) as well as dicts.
    fail = dcc_kit.evaluate_rule(json.dumps(rule("GR-XX-0001")), json.dumps(data("DE")).encode())
    assert fail.outcome == "fail" and fail.open_reason is None
    open_ = dcc_kit.evaluate_rule(rule("GR-XX-0003"), data("XX"))  # {"nope": [1]}
    assert open_.outcome == "open" and open_.open_reason is not None
    assert open_.open_reason.code == "unknown_operator"
    newer = dcc_kit.evaluate_rule(rule("GR-XX-0004"), data("XX"))  # EngineVersion 9.0.0
    assert newer.outcome == "open" and newer.open_reason is not None
    assert newer.open_reason.code == "engine_version_too_new"


def test_evaluate_rule_errors() -> None:
    with pytest.raises(dcc_kit.InvalidRuleError):
        dcc_kit.evaluate_rule({"Identifier": "GR-XX-0001"}, data("XX"))
    with pytest.raises(dcc_kit.InvalidArgumentError):  # no payload
        dcc_kit.evaluate_rule(rule("GR-XX-0001"), {"external": {}})
    with pytest.raises(dcc_kit.InvalidArgumentError):  # not JSON
        dcc_kit.evaluate_rule(rule("GR-XX-0001"), "{payload")
    with pytest.raises(dcc_kit.InvalidArgumentError):  # no JSON form
        dcc_kit.evaluate_rule(rule("GR-XX-0001"), {"payload": {1, 2}})
    with pytest.raises(TypeError):
        dcc_kit.evaluate_rule(rule("GR-XX-0001"), 42)  # type: ignore[arg-type]


def test_evaluate_certlogic() -> None:
    assert dcc_kit.evaluate_certlogic({"+": [1, 2]}, {}) == 3
    assert dcc_kit.evaluate_certlogic('{"var": "a.b"}', b'{"a": {"b": [true, "x"]}}') == [True, "x"]
    assert dcc_kit.evaluate_certlogic({"if": [{"var": "x"}, "yes", "no"]}, {"x": 0}) == "no"
    with pytest.raises(dcc_kit.CertlogicFailedError) as raised:
        dcc_kit.evaluate_certlogic({"nope": [1]}, {})
    assert raised.value.code == "certlogic_failed"
    assert "unknown_operator" in raised.value.message
    with pytest.raises(dcc_kit.InvalidArgumentError):
        dcc_kit.evaluate_certlogic("{not json", {})


def test_malformed_rules_are_invalid_rule() -> None:
    with pytest.raises(dcc_kit.InvalidRuleError) as raised:
        dcc_kit.load_rules(b"{not json")
    assert raised.value.code == "invalid_rule"
    broken = [dict(r) for r in RULES_XX]
    del broken[3]["Logic"]
    with pytest.raises(dcc_kit.InvalidRuleError) as raised:
        dcc_kit.load_rules(json.dumps(broken))
    assert "3" in raised.value.message and "Logic" in raised.value.message, raised.value.message
    with pytest.raises(dcc_kit.InvalidRuleError):
        dcc_kit.load_rules("42")
    with pytest.raises(dcc_kit.InvalidRuleError):  # a list without a JSON form
        dcc_kit.load_rules([float("nan")])
    one = dcc_kit.load_rules(RULES_XX[0])  # one rule object
    assert len(one) == 1 and len(dcc_kit.load_rules("[]")) == 0
