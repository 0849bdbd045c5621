"""deploy/ agrees with the code: every metric the alerts and the dashboard name is one the services
expose, Prometheus scrapes each compose service on its port, and compose mounts files that exist.
(promtool's own checks run in tests/e2e/test_metrics.py.)"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from shared import metrics
from tools.infra.paths import REPO_ROOT
from tools.infra.prometheus import scrape_config

DEPLOY = REPO_ROOT / "deploy"
NAME = re.compile(r"\bvanthu_[a-z_]+")


def _exposed() -> set[str]:
    """Every sample name the four services can expose (a labelled metric before its first use
    included)."""
    for service in metrics.SERVICE_METRICS:
        metrics.register_for(service)
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count")}
    return {family.name + suffix for family in metrics.REGISTRY.collect()
            for suffix in suffixes.get(family.type, ("",))}


def _dashboard_exprs() -> list[str]:
    dashboard = json.loads((DEPLOY / "grafana" / "vanthu.json").read_text())
    return [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]


def test_alerts_and_dashboard_name_only_metrics_the_services_expose() -> None:
    rules = yaml.safe_load((DEPLOY / "alerts.yml").read_text())["groups"][0]["rules"]
    named = {n for text in [r["expr"] for r in rules] + _dashboard_exprs()
             for n in NAME.findall(text)}
    assert named <= _exposed()
    assert len(named) >= 15
    assert {r["alert"] for r in rules} >= {
        "VanthuConsumerStuck", "VanthuConsumerLagGrowing", "VanthuDeadLetters",
        "VanthuEscalationDeliveryFailing", "VanthuTimerLoadRunningLong", "VanthuTimerLoadSlow"}


def test_prometheus_scrapes_each_compose_service_on_its_port() -> None:
    compose: dict[str, Any] = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    config = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())
    scraped = {job["job_name"]: job["static_configs"][0]["targets"][0]
               for job in config["scrape_configs"]}
    services = compose["services"]
    assert scraped == {name: f"{name}:{services[name]['ports'][0].split(':')[-1]}"
                       for name in ("ingest", "router", "tracker", "notifier")}
    for name in ("prometheus", "grafana"):
        for volume in services[name]["volumes"]:
            source = volume.split(":")[0]
            assert not source.startswith(".") or (REPO_ROOT / source).exists(), volume


def test_the_test_scrape_config_names_jobs_like_compose(tmp_path: Path) -> None:
    config = yaml.safe_load(scrape_config({"tracker": "127.0.0.1:5"}, interval_s=1.0))
    assert config["global"]["scrape_interval"] == "1000ms"
    assert config["global"]["scrape_timeout"] == "1000ms"
    assert config["scrape_configs"][0]["job_name"] == "tracker"
    assert config["scrape_configs"][0]["static_configs"] == [{"targets": ["127.0.0.1:5"]}]
