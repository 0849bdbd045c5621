"""What an edXML package says about its exchange, besides the letter's fields. Pure.

Read from the envelope (QCVN 102:2016, as peer systems emit it):

- ``MessageHeader/OtherInfo/Priority``: độ khẩn, 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc,
  4 hỏa tốc hẹn giờ; ``MessageHeader/SteeringType`` as sent; ``MessageHeader/ToPlaces/Place``.
- ``TraceHeaderList/TraceHeader`` (``OrganId``, ``Timestamp`` ``yyyy/MM/dd HH:mm:ss`` local time):
  the systems the package passed.
- ``TraceHeaderList/Bussiness`` (the standard's spelling; ``Business`` accepted):
  ``BussinessDocType`` 0 new, 1 revoke, 2 update, 3 replace; ``BussinessDocReason``; the
  ``DocumentId`` of the document acted on, and each ``ReplacementInfoList/ReplacementInfo/DocumentId``.

The signature is verified apart (:mod:`edxml_signature`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from zoneinfo import ZoneInfo

from services.ingest.parsing.edxml_parts import child, child_text, clean, descendants
from shared.events_exchange import BusinessKind, ExchangeDetails, TraceHop, Urgency

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
_TIMESTAMP = re.compile(
    r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(Z|[+-]\d{2}:?\d{2})?")


def read_exchange(root: ET.Element) -> ExchangeDetails:
    """The exchange details of the package whose root element is ``root``."""
    header = next(descendants(root, "MessageHeader"), None)
    traces = next(descendants(root, "TraceHeaderList"), None)
    business = child(traces, "Bussiness")
    if business is None:
        business = child(traces, "Business")
    kind = BusinessKind.from_code(_int(_either(business, "BussinessDocType", "BusinessDocType")))
    return ExchangeDetails(
        business=kind,
        acted_on=acted_on(kind, business, child_text(header, "DocumentId")),
        reason=_either(business, "BussinessDocReason", "BusinessDocReason"),
        steering_type=_int(child_text(header, "SteeringType")),
        priority=_int(child_text(child(header, "OtherInfo"), "Priority")),
        to_places=[clean(e.text) for e in descendants(child(header, "ToPlaces"), "Place")
                   if clean(e.text)],
        trace=[hop for e in descendants(traces, "TraceHeader") if (hop := _hop(e)) is not None],
    )


def urgency_of(exchange: ExchangeDetails) -> Urgency | None:
    """The urgency the package's Priority states."""
    return Urgency.from_priority(exchange.priority)


def acted_on(kind: BusinessKind, business: ET.Element | None, own_id: str | None) -> list[str]:
    """The DocumentIds a non-new package acts on (its own when it names none); none for new."""
    if kind is BusinessKind.NEW:
        return []
    named = [child_text(business, "DocumentId")]
    named += [child_text(info, "DocumentId")
              for info in descendants(child(business, "ReplacementInfoList"), "ReplacementInfo")]
    found = list(dict.fromkeys(d for d in named if d))
    return found or ([own_id] if own_id else [])


def trace_time(value: str | None) -> datetime | None:
    """A TraceHeader Timestamp as an aware datetime (local time unless it names its zone)."""
    match = _TIMESTAMP.match(value or "")
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        at = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                      int(second or 0))
    except ValueError:
        return None
    if zone:
        offset = "+00:00" if zone == "Z" else zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
        return datetime.fromisoformat(f"{at.isoformat()}{offset}")
    return at.replace(tzinfo=LOCAL)


def _hop(element: ET.Element) -> TraceHop | None:
    organ = child_text(element, "OrganId")
    return TraceHop(organ_id=organ, at=trace_time(child_text(element, "Timestamp"))) \
        if organ else None


def _either(element: ET.Element | None, *names: str) -> str | None:
    return next((value for name in names if (value := child_text(element, name))), None)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
