"""A local Prometheus (Debian's ``prometheus`` package, installed by ``scripts/bootstrap.sh``) that
scrapes the four services, as the e2e test of the metrics runs it.

:func:`scrape_config` writes the configuration (one job per service, named like the compose
services, so ``deploy/alerts.yml`` applies unchanged); :class:`PrometheusNode` starts the server on
a loopback port with its data under a directory of the caller's (a test's temporary directory) and
:func:`query` asks its HTTP API. ``promtool`` (same package) checks configurations and rules.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tools.infra.process import InfraError, ManagedProcess, run_checked


def binary(name: str = "prometheus") -> str:
    """The path of ``prometheus`` (or ``promtool``); :class:`InfraError` naming the package if
    it is not installed."""
    found = shutil.which(name)
    if found is None:
        raise InfraError(f"{name} not found: install Debian's 'prometheus' package "
                         "(scripts/bootstrap.sh does, as root)")
    return found


def scrape_config(targets: Mapping[str, str], *, interval_s: float = 15.0,
                  rule_files: tuple[Path, ...] = ()) -> str:
    """Prometheus's configuration (JSON, which is YAML): job ``service`` scrapes ``host:port``'s
    ``/metrics`` every ``interval_s`` seconds (the scrape timeout is the interval, at most 10 s)."""
    interval = f"{int(interval_s * 1000)}ms"
    timeout = f"{int(min(interval_s, 10.0) * 1000)}ms"
    config: dict[str, Any] = {
        "global": {"scrape_interval": interval, "scrape_timeout": timeout,
                   "evaluation_interval": interval},
        "scrape_configs": [{"job_name": job, "metrics_path": "/metrics",
                            "static_configs": [{"targets": [target]}]}
                           for job, target in sorted(targets.items())],
    }
    if rule_files:
        config["rule_files"] = [str(path) for path in rule_files]
    return json.dumps(config, indent=2) + "\n"


def promtool(*args: str) -> None:
    """Run ``promtool args…``; :class:`InfraError` with its output if it finds a fault."""
    run_checked([binary("promtool"), *args], what=f"promtool {' '.join(args[:2])}")


@dataclass
class PrometheusNode:
    """One Prometheus server on ``127.0.0.1:port``, keeping its data in ``data_dir``."""

    data_dir: Path
    port: int
    targets: Mapping[str, str]
    interval_s: float = 1.0
    rule_files: tuple[Path, ...] = ()
    process: ManagedProcess | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        """Base URL of the server's HTTP API and pages."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> ManagedProcess:
        """Write the configuration, start the server and wait until ``/-/ready`` answers 200."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "prometheus.yml"
        config.write_text(scrape_config(self.targets, interval_s=self.interval_s,
                                        rule_files=self.rule_files))
        self.process = ManagedProcess.spawn(
            "prometheus", [binary(), f"--config.file={config}",
                           f"--storage.tsdb.path={self.data_dir / 'data'}",
                           f"--web.listen-address=127.0.0.1:{self.port}"],
            log_path=self.data_dir / "prometheus.log")
        self.process.wait_until(self._ready, timeout, "200 from /-/ready")
        return self.process

    def _ready(self) -> bool:
        try:
            return httpx.get(f"{self.url}/-/ready", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        """Stop the server (idempotent)."""
        if self.process is not None:
            self.process.stop()
            self.process = None

    def query(self, promql: str) -> list[dict[str, Any]]:
        """The instant vector ``promql`` evaluates to now: ``[{"metric": labels, "value": [t, v]}]``."""
        return query(self.url, promql)


def query(url: str, promql: str) -> list[dict[str, Any]]:
    """Ask the Prometheus at ``url`` (``/api/v1/query``); :class:`InfraError` if it refuses."""
    response = httpx.get(f"{url}/api/v1/query", params={"query": promql}, timeout=10.0)
    body = response.json()
    if response.status_code != 200 or body.get("status") != "success":
        raise InfraError(f"Prometheus refused {promql!r}: {body.get('error', response.text)}")
    return list(body["data"]["result"])
