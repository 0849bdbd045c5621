"""Who is calling the tracker: a unit (sees and answers its own assignments) or leadership (all).

Tokens come as ``Authorization: Bearer <token>`` and are checked against hashed configuration.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException

from shared.tokens import TokenRegistry, bearer_token


@dataclass(frozen=True)
class Caller:
    """An authenticated caller."""

    name: str
    unit_code: str | None
    leadership: bool

    def may_see_unit(self, unit_code: str) -> bool:
        """Leadership sees every unit; a unit sees itself."""
        return self.leadership or self.unit_code == unit_code


class AccessControl:
    """Resolves bearer tokens to callers."""

    def __init__(self, unit_tokens: str, leadership_tokens: str) -> None:
        self._units = TokenRegistry.parse(unit_tokens)
        self._leaders = TokenRegistry.parse(leadership_tokens)

    def caller(self, authorization: str | None) -> Caller:
        """Return the caller, or raise 401."""
        token = bearer_token(authorization)
        if (leader := self._leaders.identify(token)) is not None:
            return Caller(name=leader, unit_code=None, leadership=True)
        if (unit := self._units.identify(token)) is not None:
            return Caller(name=unit, unit_code=unit, leadership=False)
        raise HTTPException(401, detail="missing or unknown bearer token",
                            headers={"WWW-Authenticate": "Bearer"})
