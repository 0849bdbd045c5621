"""The notifier's HTTP routes: the notification history and the digest on demand, both behind a
bearer token (``NOTIFIER_ACCESS_TOKENS``, name:sha256hex pairs; empty: every request is refused)."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, Header, HTTPException
from fastapi.encoders import jsonable_encoder

from services.notifier.digest_job import DigestJob
from services.notifier.repository import NotificationRepository
from shared.tokens import TokenRegistry, bearer_token

UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"description": "Thiếu hoặc sai mã truy cập (Authorization: Bearer …)."}}


def bearer_caller(tokens: TokenRegistry) -> Any:
    """A dependency that returns the caller's name, or answers 401."""

    async def caller(authorization: Annotated[str | None, Header()] = None) -> str:
        name = tokens.identify(bearer_token(authorization))
        if name is None:
            raise HTTPException(401, headers={"WWW-Authenticate": "Bearer"}, detail=[{
                "loc": ["header", "authorization"], "type": "unauthorized",
                "msg": "Thiếu hoặc sai mã truy cập: gửi 'Authorization: Bearer <mã>'."}])
        return name

    return caller


def notifier_router(repo: NotificationRepository, digest: DigestJob, tokens: TokenRegistry
                    ) -> APIRouter:
    """Routes that read the notification history and send the digest, for token holders."""
    router = APIRouter(tags=["notifications"], responses=UNAUTHORIZED,
                       dependencies=[Depends(bearer_caller(tokens))])

    @router.get("/notifications")
    async def notifications(dispatch_id: str | None = None) -> Any:
        """Every notification with its attempts, newest first (optionally for one dispatch); a
        failed one has ``status: failed`` with its ``step`` and ``reason``."""
        return jsonable_encoder(await repo.history(dispatch_id))

    @router.post("/digest", summary="Send today's leadership digest now",
                 responses={503: {"description": "The tracker's figures could not be read."}})
    async def send_digest() -> dict[str, object]:
        try:
            results = await digest.send_now()
        except (httpx.HTTPError, OSError) as exc:  # the tracker is down or refused the token
            raise HTTPException(503, headers={"Retry-After": "30"}, detail=[{
                "loc": ["tracker"], "type": "upstream_unavailable",
                "msg": f"Không đọc được số liệu từ tracker ({type(exc).__name__}); "
                       "bản tin chưa được gửi, thử lại sau."}]) from exc
        return {"sent": [r.status for r in results]}

    return router
