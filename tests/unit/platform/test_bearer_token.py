"""One reading of ``Authorization: Bearer <token>`` for the tracker and the notifier."""

from __future__ import annotations

import pytest

from shared.tokens import bearer_token


@pytest.mark.parametrize(("header", "token"), [
    ("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("BEARER abc", "abc"),
    (None, None), ("", None), ("Basic abc", None), ("Bearerabc", None)])
def test_the_token_of_a_bearer_header_and_nothing_else(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token
