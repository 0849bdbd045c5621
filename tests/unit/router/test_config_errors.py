"""A bad organisation or rules file is refused at startup with the line of the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.router.rules import load_rules
from shared.config_yaml import ConfigError
from shared.organisation import Organisation, load_organisation

ORG = """\
version: 1
name: Sở thử
leadership:
  office: VP
  director: {name: Giám Đốc, title: Giám đốc, email: gd@example.gov.vn}
  deputies:
    - {code: PGD1, name: Phó Một, title: Phó Giám đốc, email: p1@example.gov.vn, units: [VP, QLTM]}
units:
  - code: VP
    name: Văn phòng
    aliases: [Văn phòng Sở]
    head: {name: Chánh Văn Phòng, title: Chánh Văn phòng, email: cvp@example.gov.vn}
    deputy: PGD1
    contacts: {email: vp@example.gov.vn}
  - code: QLTM
    name: Phòng Quản lý Thương mại
    head: {name: Trưởng Phòng, title: Trưởng phòng, email: tp@example.gov.vn}
    deputy: PGD1
    contacts: {email: qltm@example.gov.vn}
"""

RULES = """\
version: 1
rules:
  - id: xang-dau
    description: Xăng dầu
    when: {keywords: [xăng dầu]}
    then: {lead: QLTM}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def _org_error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_organisation(_write(tmp_path, "org.yaml", text))
    return str(caught.value)


def test_the_small_files_are_valid(tmp_path: Path) -> None:
    org = load_organisation(_write(tmp_path, "org.yaml", ORG))
    assert load_rules(_write(tmp_path, "rules.yaml", RULES), org).rules[0].then.lead == "QLTM"


def test_a_missing_field_names_the_line_of_its_item(tmp_path: Path) -> None:
    bad = ORG.replace("  - code: QLTM\n    name:", "  - name:")
    line = _line_of(bad, "- name: Phòng Quản")
    assert _org_error(tmp_path, bad) == f"{tmp_path / 'org.yaml'} line {line}: units[1].code: Field required"


def test_a_wrong_value_names_its_own_line(tmp_path: Path) -> None:
    bad = ORG.replace("contacts: {email: qltm@example.gov.vn}", "contacts: {email: not-an-address}")
    assert f"line {_line_of(bad, 'not-an-address')}: units[1].contacts.email:" in _org_error(tmp_path, bad)


def test_an_unknown_deputy_is_a_line_numbered_reference_error(tmp_path: Path) -> None:
    bad = ORG.replace("deputy: PGD1\n    contacts: {email: qltm", "deputy: PGD9\n    contacts: {email: qltm")
    message = _org_error(tmp_path, bad)
    assert f"line {_line_of(bad, 'PGD9')}: units[1].deputy: no deputy with code 'PGD9'" in message


def test_the_same_alias_for_two_units_is_refused(tmp_path: Path) -> None:
    bad = ORG.replace("    head: {name: Trưởng", "    aliases: [van phong so]\n    head: {name: Trưởng")
    assert f"line {_line_of(bad, '[van phong so]')}: units[1].aliases[0]:" in _org_error(tmp_path, bad)
    assert "already names unit VP" in _org_error(tmp_path, bad)


def test_yaml_syntax_and_duplicate_keys_name_the_line(tmp_path: Path) -> None:
    assert "org.yaml line 3: YAML syntax" in _org_error(tmp_path, "version: 1\nname: [oops\nunits: x\n")
    dup = ORG.replace("name: Sở thử", "name: Sở thử\nname: Lặp")
    assert f"line {_line_of(dup, 'Lặp')}: duplicate key 'name'" in _org_error(tmp_path, dup)


def test_a_wrong_version_is_refused(tmp_path: Path) -> None:
    message = _org_error(tmp_path, ORG.replace("version: 1", "version: 2"))
    assert "line 1: version: Input should be 1" in message


@pytest.fixture
def small_org(tmp_path: Path) -> Organisation:
    return load_organisation(_write(tmp_path, "org.yaml", ORG))


def _rules_error(tmp_path: Path, text: str, org: Organisation) -> str:
    with pytest.raises(ConfigError) as caught:
        load_rules(_write(tmp_path, "rules.yaml", text), org)
    return str(caught.value)


def test_a_rule_naming_an_unknown_unit_names_the_line(tmp_path: Path, small_org: Organisation) -> None:
    bad = RULES.replace("then: {lead: QLTM}", "then: {lead: QLXX}")
    message = _rules_error(tmp_path, bad, small_org)
    assert message == f"{tmp_path / 'rules.yaml'} line 6: rules[0].then.lead: unknown unit 'QLXX'"


def test_a_rule_without_then_or_with_a_bad_condition_names_the_line(
    tmp_path: Path, small_org: Organisation
) -> None:
    missing = RULES.replace("    then: {lead: QLTM}\n", "")
    assert "line 3: rules[0].then: Field required" in _rules_error(tmp_path, missing, small_org)
    typo = RULES.replace("keywords:", "keyword:")
    assert "line 5: rules[0].when.keyword: Extra inputs are not permitted" in _rules_error(
        tmp_path, typo, small_org)
