"""A real SMTP server on 127.0.0.1 that keeps what it receives: the tests' mail sink."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


class SinkHandler:
    """Keeps every message the SMTP server receives."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        return [message_from_bytes(raw, policy=policy.default) for _, raw in self.received]


class EphemeralController(Controller):
    """Listens on a port the system picks (port 0), read back once the server is bound."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def smtp_sink():
    handler = SinkHandler()
    controller = EphemeralController(handler, hostname="127.0.0.1", port=0)
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()
