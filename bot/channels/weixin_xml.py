"""WeChat and WeCom callback XML: read strictly into plain strings, written back by one serializer.

Reading: invalid UTF-8 and characters XML cannot hold become U+FFFD before parsing (a crisis note
with a broken character is still filed); the sender, message type and times are checked, so a signed
but malformed callback is a 400 and never reaches the router. Writing: every value goes through
cdata() (control characters dropped, `]]>` split across two sections), never into a format string.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re
import struct
from dataclasses import dataclass
from xml.etree import ElementTree

from wechatpy.crypto import PrpCrypto
from wechatpy.crypto.cryptography import WeChatCipher
from wechatpy.utils import WeChatSigner

from bot.channels.callback_guard import Refused, check_xml

# Characters XML 1.0 cannot carry (not even as &#…;): C0 controls but tab and newlines, surrogates, U+FFFE/F.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CHAR_REF = re.compile(r"&#(?:x([0-9A-Fa-f]+)|([0-9]+));")
_SENDER = re.compile(r"[A-Za-z0-9_.@-]{1,128}")  # openids and WeCom UserIDs
_DIGITS = re.compile(r"[0-9]{1,20}")
_TAG = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def _char_ref(m: re.Match[str]) -> str:
    digits = m.group(1) or m.group(2)
    if len(digits) > 8:
        return "&#xFFFD;"
    code = int(digits, 16) if m.group(1) else int(digits)
    legal = code in (9, 10, 13) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF
    return m.group(0) if legal else "&#xFFFD;"


def clean_xml(body: bytes) -> bytes:
    """The XML with invalid UTF-8, illegal characters and references to them replaced by U+FFFD."""
    text = body.decode("utf-8", "replace")
    text = _XML_ILLEGAL.sub("\ufffd", text)
    return _CHAR_REF.sub(_char_ref, text).encode("utf-8")


def parse_fields(xml: bytes) -> dict[str, str]:
    """The <xml> root's leaf elements as strings (the first of a repeated name); Refused(400) otherwise."""
    check_xml(xml)
    try:
        root = ElementTree.fromstring(clean_xml(xml))
    except ElementTree.ParseError as exc:
        raise Refused(400, "unreadable XML") from exc
    if root.tag != "xml":
        raise Refused(400, "not a callback (no <xml> root)")
    fields: dict[str, str] = {}
    for child in root:
        if isinstance(child.tag, str) and len(child) == 0:
            fields.setdefault(child.tag, child.text or "")
    return fields


@dataclass(frozen=True)
class Callback:
    """A checked callback: who sent what (type and event lower case; absent fields are "")."""

    type: str
    source: str
    target: str
    create_time: str
    msg_id: str = ""
    event: str = ""
    content: str = ""
    key: str = ""
    agent_id: str = ""

    @property
    def dedupe_key(self) -> str:
        """The key a retry is known by: sender and MsgId, or sender and CreateTime for an event.

        MsgIds have repeated across senders, so the MsgId alone could hand one sender another's reply.
        """
        if self.type == "event":
            return f"event:{self.source}:{self.create_time}:{self.event}"
        return f"msg:{self.source}:{self.msg_id}"


def parse_callback(xml: bytes) -> Callback:
    """A callback message, or Refused(400) when a field the router needs is missing or malformed."""
    f = parse_fields(xml)
    source = f.get("FromUserName", "").strip()
    kind = f.get("MsgType", "").strip().lower()
    create_time = f.get("CreateTime", "").strip()
    if not _SENDER.fullmatch(source):
        raise Refused(400, "no valid FromUserName")
    if not _TAG.fullmatch(kind) or len(kind) > 32:
        raise Refused(400, "no valid MsgType")
    if not _DIGITS.fullmatch(create_time):
        raise Refused(400, "no valid CreateTime")
    msg_id = f.get("MsgId", "").strip()
    if kind == "text" and not _DIGITS.fullmatch(msg_id):
        raise Refused(400, "a text message without a valid MsgId")
    agent_id = f.get("AgentID", "").strip()
    return Callback(type=kind, source=source, target=f.get("ToUserName", "").strip()[:128],
                    create_time=create_time, msg_id=msg_id[:20], event=f.get("Event", "").strip().lower()[:64],
                    content=f.get("Content", ""), key=f.get("EventKey", "")[:200],
                    agent_id=agent_id if _DIGITS.fullmatch(agent_id) else "")


def cdata(text: str) -> str:
    """Text as CDATA that always parses back to itself (illegal characters aside, which are dropped)."""
    return "<![CDATA[" + _XML_ILLEGAL.sub("", text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def render(fields: list[tuple[str, str | int]]) -> str:
    """<xml> with each field as an element: strings as CDATA, integers as numbers."""
    parts = ["<xml>"]
    for name, value in fields:
        if not _TAG.fullmatch(name):
            raise ValueError(f"not an element name: {name!r}")
        body = str(value) if isinstance(value, int) else cdata(value)
        parts.append(f"<{name}>{body}</{name}>")
    parts.append("</xml>")
    return "".join(parts)


def text_reply(callback: Callback, content: str, now: int) -> str:
    """The passive text reply to a callback (WeCom's carries the AgentID back)."""
    fields: list[tuple[str, str | int]] = [("ToUserName", callback.source), ("FromUserName", callback.target),
                                           ("CreateTime", now), ("MsgType", "text"), ("Content", content)]
    if callback.agent_id:
        fields.append(("AgentID", int(callback.agent_id)))
    return render(fields)


def _signature(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


class Envelope:
    """The AES framing of safe-mode WeChat and of WeCom: opened and sealed here, every failure a Refused."""

    def __init__(self, token: str, aes_key: str, own_id: str) -> None:
        self._token, self._id = token, own_id
        self._key = base64.b64decode(aes_key + "=")

    def decrypt(self, encrypted: str) -> bytes:
        """The framed plaintext (bytes, not yet decoded); Refused(403) when it is not ours."""
        try:
            data = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise Refused(403, "bad encrypted message") from exc
        if len(data) < 32 or len(data) % 16:
            raise Refused(403, "bad encrypted message")
        plain = WeChatCipher(self._key).decrypt(data)
        pad = plain[-1]
        if not 1 <= pad <= 32 or len(plain) < 20 + pad:
            raise Refused(403, "bad encrypted message")
        content = plain[16:-pad]
        (length,) = struct.unpack(">I", content[:4])
        if length > len(content) - 4 or content[4 + length:] != self._id.encode("utf-8"):
            raise Refused(403, "bad encrypted message")
        return content[4:4 + length]

    def open(self, body: bytes, msg_signature: str, timestamp: str, nonce: str) -> bytes:
        """The callback XML inside an encrypted body (403 on a bad msg_signature)."""
        encrypted = parse_fields(body).get("Encrypt", "").strip()
        expected = _signature(self._token, timestamp, nonce, encrypted)
        if not encrypted or not hmac.compare_digest(expected, msg_signature):
            raise Refused(403, "bad msg_signature")
        return self.decrypt(encrypted)

    def echo(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """WeCom's URL check: the decrypted echostr (403 on a bad signature)."""
        if not echostr or not hmac.compare_digest(_signature(self._token, timestamp, nonce, echostr), msg_signature):
            raise Refused(403, "bad signature")
        return clean_xml(self.decrypt(echostr)).decode("utf-8")

    def seal(self, xml: str, nonce: str, timestamp: str) -> str:
        """An encrypted passive reply."""
        encrypted = PrpCrypto(self._key).encrypt(xml, self._id)
        encrypted = encrypted.decode("ascii") if isinstance(encrypted, bytes) else encrypted
        at = int(timestamp)  # checked by check_timestamp; signed as it is written
        return render([("Encrypt", encrypted), ("MsgSignature", _signature(self._token, str(at), nonce, encrypted)),
                       ("TimeStamp", at), ("Nonce", nonce)])
