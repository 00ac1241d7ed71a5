"""Seal and unseal anonymous senders' addresses with the server key (Fernet) and keyed hashes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

SEALED_AT = 0  # the time written into every Fernet token (see Sealer._encrypt)


class Sealer:
    """Encryption and keyed hashing derived from the server secret."""

    def __init__(self, secret: str) -> None:
        digest = hashlib.sha256(("seal:" + secret).encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))
        self._hash_key = hashlib.sha256(("hash:" + secret).encode()).digest()

    def _encrypt(self, data: bytes) -> str:
        """A Fernet token carrying no time: Fernet writes the time of encryption in clear into every
        token, which would date a sender's conversation to the second of their note without any key.
        We never decrypt with a ttl, so the time is worth nothing to us."""
        return self._fernet.encrypt_at_time(data, SEALED_AT).decode()

    def seal(self, channel: str, external_id: str) -> str:
        """Encrypt a channel address."""
        return self._encrypt(f"{channel}\n{external_id}".encode())

    def unseal(self, token: str) -> tuple[str, str] | None:
        """Decrypt a channel address; None when the token is not ours."""
        try:
            channel, external_id = self._fernet.decrypt(token.encode()).decode().split("\n", 1)
        except (InvalidToken, ValueError):
            return None
        return channel, external_id

    def seal_json(self, value: Any) -> str:
        """Encrypt a JSON value (conversation state, stored replies): readable only with the server key."""
        return self._encrypt(json.dumps(value, ensure_ascii=False).encode())

    def unseal_json(self, token: str) -> Any:
        """Decrypt what seal_json made; None when the token is not ours."""
        try:
            return json.loads(self._fernet.decrypt(token.encode()))
        except (InvalidToken, ValueError):
            return None

    def seal_stored(self, value: Any) -> dict[str, str]:
        """A JSON column's value, sealed: {"sealed": token}."""
        return {"sealed": self.seal_json(value)}

    def open_stored(self, stored: Any) -> Any:
        """What seal_stored sealed (None when it is not ours); a value stored before sealing, as it is."""
        if isinstance(stored, dict) and set(stored) == {"sealed"}:
            return self.unseal_json(str(stored["sealed"]))
        return stored

    def keyed(self, *parts: str) -> str:
        """A keyed hash (HMAC-SHA256 with the server key) of the parts: the same parts, the same value;
        nothing computable from the parts without the key."""
        return hmac.new(self._hash_key, "\n".join(parts).encode(), hashlib.sha256).hexdigest()

    def sender_key(self, purpose: str, channel: str, address: str) -> str:
        """What a row belonging to an unbound sender is keyed by instead of their address.

        A different purpose gives an unrelated value, so rows of different kinds (a conversation,
        a web inbox, a thread's inbox) cannot be joined on the key either.
        """
        return self.keyed("sender", purpose, channel, address)

    def daily_key(self, channel: str, external_id: str, day: str) -> str:
        """A keyed hash of an address that changes every day (for rate limits, never stored raw)."""
        msg = f"{day}\n{channel}\n{external_id}".encode()
        return hmac.new(self._hash_key, msg, hashlib.sha256).hexdigest()[:32]
