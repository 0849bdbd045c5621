"""Who is who in the organisation chart, as the notifier needs it: contacts, resolved by role.

:class:`RecipientDirectory` is the small pure protocol the escalation planner asks; :class:`YamlDirectory`
implements it over the organisation as read and checked by :func:`shared.organisation.load_organisation`
(the one reader of ``config/organisation.sample.yaml``, the router's too): a file the router refuses,
the notifier refuses as well. The notifier never imports the router.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.organisation import Organisation, Person, Unit, load_organisation

ChannelName = Literal["email", "webhook", "zalo", "log"]


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
    zalo_user_id: str | None = Field(default=None, description="Zalo user id (channel 'zalo').")
    channels: tuple[ChannelName, ...] = ("log",)

    @model_validator(mode="after")
    def _addresses_for_channels(self) -> Contact:
        if "email" in self.channels and not self.email:
            raise ValueError(f"{self.id}: channel 'email' needs an email address")
        if "webhook" in self.channels and not self.webhook_url:
            raise ValueError(f"{self.id}: channel 'webhook' needs a webhook_url")
        if "zalo" in self.channels and not self.zalo_user_id:
            raise ValueError(f"{self.id}: channel 'zalo' needs a zalo_user_id")
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


def _person(id_: str, person: Person) -> Contact:
    """A head of unit, deputy or director: reached by the channels the file lists (e-mail unless
    it says otherwise; the file requires an address), Zalo too when it names a Zalo user id."""
    return Contact(id=id_, name=person.name, title=person.title, email=person.email,
                   zalo_user_id=person.zalo_user_id, channels=tuple(person.channels))


class YamlDirectory:
    """A :class:`RecipientDirectory` over the organisation file (:class:`Organisation`).

    A unit is reached at its ``contacts`` (e-mail, webhook, Zalo, in its channels' order); its head,
    the deputies and the director by their ``channels`` (e-mail by default).
    """

    def __init__(self, org: Organisation) -> None:
        self._org = org

    @classmethod
    def from_file(cls, path: str | Path) -> YamlDirectory:
        """Load the organisation file at ``path`` (a bad file raises ``ConfigError`` naming the line)."""
        return cls(load_organisation(path))

    def _unit(self, code: str) -> Unit:
        unit = self._org.unit_by_code(code)
        if unit is None:
            raise UnknownRecipientError(f"unknown unit {code!r}")
        return unit

    def unit(self, code: str) -> Contact:
        unit = self._unit(code)
        contacts = unit.contacts
        return Contact(id=f"unit:{code}", name=unit.name, email=contacts.email,
                       webhook_url=contacts.webhook_url, zalo_user_id=contacts.zalo_user_id,
                       channels=tuple(contacts.channels))

    def unit_head(self, code: str) -> Contact:
        return _person(f"head:{code}", self._unit(code).head)

    def office(self) -> Contact:
        return self.unit(self._org.leadership.office)

    def deputy_for(self, code: str) -> Contact:
        deputy = self._org.deputy_for(self._unit(code).code)
        if deputy is None:
            raise UnknownRecipientError(f"no deputy director in charge of {code!r}")
        return _person(f"deputy:{deputy.code}", deputy)

    def director(self) -> Contact:
        return _person("director", self._org.leadership.director)

    def leadership(self) -> list[Contact]:
        deputies = [_person(f"deputy:{d.code}", d) for d in self._org.leadership.deputies]
        return [self.director(), *deputies]

    def unit_name(self, code: str) -> str:
        unit = self._org.unit_by_code(code)
        return unit.name if unit else code
