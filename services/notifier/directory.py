"""Who is who in the organisation chart, as the notifier needs it: contacts, resolved by role.

:class:`RecipientDirectory` is the small pure protocol the escalation planner asks; :class:`YamlDirectory`
implements it over the plain dict of the organisation YAML (``config/organisation.sample.yaml``),
reading only the fields it needs and tolerating the rest. The notifier never imports the router.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

ChannelName = Literal["email", "webhook", "log"]


class UnknownRecipientError(LookupError):
    """The organisation chart has no one in the asked role (unknown unit, no deputy in charge, ...)."""


class Contact(BaseModel):
    """One recipient (a unit's mailbox, a head of unit, a leader) and the channels to reach them by."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Stable identity used in dedup keys, e.g. 'unit:VP', 'deputy:PGD1'.")
    name: str
    title: str | None = Field(default=None, description="Chức danh, e.g. 'Trưởng phòng'.")
    email: str | None = None
    webhook_url: str | None = None
    channels: tuple[ChannelName, ...] = ("log",)

    @model_validator(mode="after")
    def _addresses_for_channels(self) -> Contact:
        if "email" in self.channels and not self.email:
            raise ValueError(f"{self.id}: channel 'email' needs an email address")
        if "webhook" in self.channels and not self.webhook_url:
            raise ValueError(f"{self.id}: channel 'webhook' needs a webhook_url")
        if not self.channels:
            raise ValueError(f"{self.id}: at least one channel")
        return self

    @property
    def display(self) -> str:
        """'Chức danh Họ tên' or just the name."""
        return f"{self.title} {self.name}" if self.title and self.title not in self.name else self.name


class RecipientDirectory(Protocol):
    """Resolves roles of the escalation chain to contacts. Raises :class:`UnknownRecipientError`."""

    def unit(self, code: str) -> Contact:
        """The unit itself (its shared mailbox / chat hook)."""
        ...

    def unit_head(self, code: str) -> Contact:
        """Trưởng đơn vị: the head of the unit."""
        ...

    def office(self) -> Contact:
        """Văn phòng Sở."""
        ...

    def deputy_for(self, code: str) -> Contact:
        """Phó Giám đốc phụ trách: the deputy director in charge of the unit."""
        ...

    def director(self) -> Contact:
        """Giám đốc Sở."""
        ...

    def leadership(self) -> list[Contact]:
        """Ban Giám đốc: the director then every deputy (recipients of the daily digest)."""
        ...

    def unit_name(self, code: str) -> str:
        """The unit's full name, or its code when unknown."""
        ...


def _channels(raw: Any, email: str | None, webhook_url: str | None) -> tuple[ChannelName, ...]:
    """The configured channels that have an address; default: email if any, else log."""
    wanted = [c for c in (raw or []) if c in ("email", "webhook", "log")]
    usable = tuple(
        c for c in wanted if (c != "email" or email) and (c != "webhook" or webhook_url)
    )
    if usable:
        return usable
    return ("email",) if email else ("log",)


def _contact(id_: str, raw: Mapping[str, Any], *, name: str | None = None,
             title: str | None = None) -> Contact:
    email, hook = raw.get("email") or None, raw.get("webhook_url") or None
    return Contact(id=id_, name=str(raw.get("name") or name or id_),
                   title=raw.get("title") or title, email=email, webhook_url=hook,
                   channels=_channels(raw.get("channels"), email, hook))


class YamlDirectory:
    """A :class:`RecipientDirectory` over the organisation YAML, parsed with ``yaml.safe_load``.

    Reads ``leadership.office``, ``leadership.director``, ``leadership.deputies[].{code,units}``, and
    ``units[].{code,name,head,deputy,contacts}``; everything else is ignored.
    """

    def __init__(self, org: Mapping[str, Any]) -> None:
        leadership = org.get("leadership") or {}
        self._units: dict[str, Mapping[str, Any]] = {
            str(u["code"]): u for u in org.get("units") or [] if isinstance(u, Mapping) and "code" in u
        }
        self._office_code = str(leadership.get("office") or "VP")
        self._director_raw: Mapping[str, Any] | None = leadership.get("director")
        self._deputies: dict[str, Mapping[str, Any]] = {
            str(d["code"]): d for d in leadership.get("deputies") or [] if "code" in d
        }

    @classmethod
    def from_file(cls, path: str) -> YamlDirectory:
        """Load the organisation YAML at ``path``."""
        import yaml

        with open(path, encoding="utf-8") as fh:
            return cls(yaml.safe_load(fh) or {})

    def _unit_raw(self, code: str) -> Mapping[str, Any]:
        try:
            return self._units[code]
        except KeyError:
            raise UnknownRecipientError(f"unknown unit {code!r}") from None

    def unit(self, code: str) -> Contact:
        raw = self._unit_raw(code)
        return _contact(f"unit:{code}", raw.get("contacts") or {}, name=str(raw.get("name") or code))

    def unit_head(self, code: str) -> Contact:
        head = self._unit_raw(code).get("head")
        if not head:
            raise UnknownRecipientError(f"unit {code!r} has no head")
        return _contact(f"head:{code}", head, title="Trưởng đơn vị")

    def office(self) -> Contact:
        return self.unit(self._office_code)

    def deputy_for(self, code: str) -> Contact:
        deputy_code = self._unit_raw(code).get("deputy")
        if not deputy_code:  # fall back to the deputies' lists of units
            deputy_code = next((c for c, d in self._deputies.items() if code in (d.get("units") or [])),
                               None)
        if not deputy_code or str(deputy_code) not in self._deputies:
            raise UnknownRecipientError(f"no deputy director in charge of {code!r}")
        return _contact(f"deputy:{deputy_code}", self._deputies[str(deputy_code)],
                        title="Phó Giám đốc")

    def director(self) -> Contact:
        if not self._director_raw:
            raise UnknownRecipientError("no director in the organisation file")
        return _contact("director", self._director_raw, title="Giám đốc")

    def leadership(self) -> list[Contact]:
        deputies = [_contact(f"deputy:{c}", d, title="Phó Giám đốc") for c, d in self._deputies.items()]
        return [self.director(), *deputies]

    def unit_name(self, code: str) -> str:
        return str((self._units.get(code) or {}).get("name") or code)
