"""Timing of :func:`~services.router.decision.route`: one dispatch against many rules (target: < 1 ms).

The rules are synthetic and none matches, so every rule is evaluated; the dispatch is a broadcast
with a ~3,000-character body, so the decision fans out to every unit of the sample organisation.
Run: ``.venv/bin/python -m bench.routing``.
"""

from __future__ import annotations

import statistics
import time
from datetime import date, datetime
from pathlib import Path

from services.router.decision import route
from services.router.model import RoutingInput
from services.router.rules import RuleSet
from shared.clock import VIETNAM_TZ
from shared.events import StatedDeadline
from shared.organisation import Organisation, load_organisation

SAMPLE_ORGANISATION = Path(__file__).resolve().parents[1] / "config" / "organisation.sample.yaml"

_PARAGRAPH = (
    "Các phòng, đơn vị căn cứ theo chức năng nhiệm vụ được giao, chuẩn bị nội dung báo cáo kết quả "
    "thực hiện công tác cải cách hành chính trong năm, nhất là những nội dung chưa đạt được, và đề "
    "xuất các giải pháp triển khai thực hiện kế hoạch năm sau; gửi về Văn phòng Sở để tổng hợp. "
)


def synthetic_rules(organisation: Organisation, n_rules: int) -> RuleSet:
    """``n_rules`` rules mixing keyword, type, issuer and notation conditions; none matches."""
    codes = organisation.all_unit_codes()
    rules = []
    for i in range(n_rules):
        when: dict[str, object] = {"keywords": [f"chuyên đề số {i}", f"nhiệm vụ riêng {i}", f"dien luc {i}"]}
        if i % 3 == 0:
            when["doc_type"] = ["Công văn", "Kế hoạch"]
        if i % 5 == 0:
            when["issuer"] = ["Sở Công Thương"]
        if i % 7 == 0:
            when = {"notation_unit": [f"X{i}"]}
        rules.append({"id": f"rule-{i}", "description": f"Quy tắc thử {i}", "when": when,
                      "then": {"lead": codes[i % len(codes)], "coordinating": [codes[(i + 1) % len(codes)]]}})
    return RuleSet.model_validate({"version": 1, "rules": rules})


def sample_dispatch() -> RoutingInput:
    """A broadcast letter with a stated deadline and a long body."""
    return RoutingInput(
        dispatch_id="bench-1", issuer="SỞ CÔNG THƯƠNG", parent_issuer="UBND TỈNH ĐỒNG NAI",
        doc_type="Công văn", notation="SCT-VP",
        subject="tổ chức tổng kết công tác cải cách hành chính năm 2023",
        body=_PARAGRAPH * 10, recipients=["Các phòng, đơn vị thuộc Sở"],
        received_at=datetime(2024, 2, 6, 14, 0, tzinfo=VIETNAM_TZ),
        stated_deadlines=[StatedDeadline(date=date(2024, 2, 16), what="gửi báo cáo",
                                         who="Các phòng, đơn vị")],
    )


def measure_ms_per_decision(n_rules: int = 200, repeat: int = 2000) -> float:
    """Wall-clock milliseconds of one :func:`route` call against ``n_rules`` rules.

    The ``repeat`` calls run in five rounds; the median of the rounds' means is returned, so that a
    burst of other work on a shared machine does not decide the figure.
    """
    if n_rules < 1 or repeat < 1:
        raise ValueError("need at least one rule and one round")
    organisation = load_organisation(SAMPLE_ORGANISATION)
    rules = synthetic_rules(organisation, n_rules)
    calendar = organisation.work_calendar()
    dispatch = sample_dispatch()
    route(dispatch, organisation, rules, calendar)  # warm-up: compile rules, fill calendar caches
    rounds = min(5, repeat)
    means = []
    for r in range(rounds):
        n = repeat // rounds + (1 if r < repeat % rounds else 0)
        started = time.perf_counter()
        for _ in range(n):
            route(dispatch, organisation, rules, calendar)
        means.append((time.perf_counter() - started) * 1000 / n)
    return statistics.median(means)


if __name__ == "__main__":
    print(f"{measure_ms_per_decision():.3f} ms per decision (200 rules)")
