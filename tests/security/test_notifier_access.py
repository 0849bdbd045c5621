"""Issue 13 item 6: the notifier's history (recipients, dispatch ids, SMTP errors) and its digest
trigger need a bearer token (NOTIFIER_ACCESS_TOKENS); 401 without one, as the tracker does."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.notifier.api import notifier_router
from services.notifier.delivery import DeliveryResult
from services.notifier.main import build_app
from services.notifier.settings import NotifierSettings
from shared.tokens import TokenRegistry, hash_secret

TOKENS = f"director:{hash_secret('leader-secret')}"
ROUTES = (("GET", "/notifications"), ("GET", "/notifications?dispatch_id=cv-1"), ("POST", "/digest"))


@pytest.fixture
def real_app(monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """The notifier as ``vanthu-notifier`` builds it (no lifespan: Kafka and MongoDB not needed)."""
    monkeypatch.setenv("NOTIFIER_ACCESS_TOKENS", TOKENS)
    return TestClient(build_app(NotifierSettings(_env_file=None)))  # type: ignore[call-arg]


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("header", [None, "Bearer wrong", "leader-secret", "Basic bGVhZGVyLXNlY3JldA==",
                                    "Bearer ", "Bearer " + hash_secret("leader-secret")])
def test_without_a_valid_bearer_token_the_answer_is_401(real_app: TestClient, method: str, path: str,
                                                        header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = real_app.request(method, path, headers=headers)
    assert response.status_code == 401, response.text  # before the fix: 200 with the history
    assert response.headers["www-authenticate"] == "Bearer"
    [detail] = response.json()["detail"]
    assert detail["loc"] == ["header", "authorization"] and "Bearer" in detail["msg"]


def test_no_configured_token_refuses_everyone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFIER_ACCESS_TOKENS", raising=False)
    settings = NotifierSettings(_env_file=None)  # type: ignore[call-arg]
    assert settings.notifier_access_tokens == ""
    client = TestClient(build_app(settings))
    assert client.get("/notifications", headers={"Authorization": "Bearer "}).status_code == 401


class _Repo:
    async def history(self, dispatch_id: str | None, limit: int = 500) -> list[dict[str, Any]]:
        return [{"_id": "cv-1/QLTM/overdue-L1/head:QLTM/email", "dispatch_id": dispatch_id,
                 "status": "failed", "step": "render", "reason": "cannot render"}]


class _Digest:
    async def send_now(self) -> list[DeliveryResult]:
        return [DeliveryResult("delivered", ("digest/2024-02-16/director/email",))]


def test_a_valid_token_reads_the_history_and_sends_the_digest() -> None:
    app = FastAPI()
    app.include_router(notifier_router(_Repo(), _Digest(), TokenRegistry.parse(TOKENS)))  # type: ignore[arg-type]
    client = TestClient(app)
    auth = {"Authorization": "Bearer leader-secret"}
    [row] = client.get("/notifications", params={"dispatch_id": "cv-1"}, headers=auth).json()
    assert (row["status"], row["step"], row["dispatch_id"]) == ("failed", "render", "cv-1")
    assert client.post("/digest", headers=auth).json() == {"sent": ["delivered"]}
    assert client.post("/digest", headers={"authorization": "bearer  leader-secret "}).status_code == 200
