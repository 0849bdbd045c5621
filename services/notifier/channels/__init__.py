"""Delivery channels: email (SMTP), signed webhooks, Zalo OA messages, and the structured log."""

from services.notifier.channels.base import (
    Channel,
    DeliveryError,
    FileAttachment,
    Outgoing,
    PermanentDeliveryError,
    RenderedMessage,
    TemporaryDeliveryError,
)

__all__ = [
    "Channel", "DeliveryError", "FileAttachment", "Outgoing", "PermanentDeliveryError",
    "RenderedMessage", "TemporaryDeliveryError",
]
