from __future__ import annotations

import socket
from typing import Any

import pytest
from django.test import Client

from .personas import PERSONA_NAMES, Persona, login, make_persona


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hermetic tests: a socket opened to anything but loopback fails the test."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in ("127.0.0.1", "localhost", "::1")
            and not host.startswith("/")
        ):
            raise RuntimeError(f"Network access attempted in a test: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def persona(db: None) -> Any:
    def build(name: str) -> Persona:
        return make_persona(name)

    return build


@pytest.fixture
def client_as(db: None) -> Any:
    def build(name: str, *, verified: bool = True) -> Client:
        client = Client()
        if name == "anonymous":
            return client
        return login(client, make_persona(name), verified=verified)

    return build


@pytest.fixture(params=PERSONA_NAMES)
def each_persona(request: pytest.FixtureRequest, db: None) -> Persona:
    return make_persona(request.param)
