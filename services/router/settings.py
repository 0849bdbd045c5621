"""Settings of the router service: what it adds to :class:`shared.settings.ServiceSettings`."""

from __future__ import annotations

from pydantic import Field

from shared.settings import ServiceSettings


class RouterSettings(ServiceSettings):
    """Settings of the router service."""

    router_port: int = Field(default=8001, description="HTTP port of the router's health endpoint.")
    router_rules_file: str = Field(
        default="config/routing-rules.yaml", description="Routing rules, evaluated in order."
    )
