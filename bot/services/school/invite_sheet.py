"""The printable invite sheet: HTML with a print stylesheet, one card per person, each QR code an inline SVG
made with the qrcode library."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

import qrcode
import qrcode.image.svg

from bot.services.school.invites import Card
from bot.texts import school as texts

STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 16px; color: #111; }
h1 { font-size: 20px; margin: 0 0 4px; } .intro { margin: 0 0 12px; color: #444; font-size: 13px; }
.cards { display: grid; grid-template-columns: repeat(2, 1fr); gap: 10px; }
.card { border: 1px dashed #888; padding: 10px 12px; display: grid; grid-template-columns: 1fr 120px; gap: 8px;
        break-inside: avoid; page-break-inside: avoid; min-height: 170px; }
.name { font-size: 18px; font-weight: bold; } .group { color: #333; margin: 2px 0 6px; }
.code { font: bold 20px/1.2 "DejaVu Sans Mono", monospace; letter-spacing: 2px; }
.expires, .steps { font-size: 12px; color: #333; } .steps { margin: 6px 0 0; padding-left: 18px; }
.qr svg { width: 120px; height: 120px; } .bound { color: #1a7f37; font-weight: bold; font-size: 16px; }
.missing { color: #b42318; font-size: 13px; }
.card.is-bound { background: #f3faf5; border-style: solid; border-color: #9fd3ae; }
@media print {
  body { margin: 0; } .intro { font-size: 11px; } .cards { gap: 0; }
  .card { border-color: #444; } .card.is-bound { min-height: 0; }
  @page { size: A4; margin: 10mm; }
}
"""


def qr_svg(data: str) -> str:
    """An inline SVG of a QR code (no XML declaration)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg"):]


def _card(card: Card, school: str, zone: ZoneInfo) -> str:
    e = html.escape
    head = (f'<div class="name">{e(card.name)}</div>'
            f'<div class="group">{e(card.group or "、".join(texts.ROLE_WORDS.get(r, r) for r in sorted(card.roles)))}'
            "</div>")
    if card.bound:
        return (f'<section class="card is-bound" data-bound="1"><div>{head}<div class="bound">✓ {texts.CARD_BOUND}'
                "</div></div><div></div></section>")
    if card.code is None or card.qr_text is None:
        return (f'<section class="card" data-bound="0"><div>{head}<div class="missing">{texts.CARD_NO_CODE}</div>'
                "</div><div></div></section>")
    steps = texts.STEPS_WECHAT_QR if card.qr_from_wechat else texts.STEPS_TEXT_QR
    items = "".join(f"<li>{e(s.format(school=school, code=card.code))}</li>" for s in steps)
    if card.staff:
        items = f"<li>{e(texts.STAFF_NOTE.format(code=card.code))}</li>"
    expires = card.expires_at.astimezone(zone).strftime("%Y-%m-%d") if card.expires_at else ""
    return (f'<section class="card" data-bound="0" data-code="{e(card.code)}"><div>{head}'
            f'<div>{texts.CARD_CODE}：<span class="code">{e(card.code)}</span></div>'
            f'<div class="expires">{e(texts.CARD_EXPIRES.format(date=expires))}</div><ol class="steps">{items}</ol>'
            f'</div><div class="qr" data-qr="{e(card.qr_text)}">{qr_svg(card.qr_text)}</div></section>')


def render(*, cards: list[Card], school: str, zone: ZoneInfo, now: datetime, days: int = 14) -> str:
    """The whole sheet: a title, how to use it, the cards (bound ones marked, without a code)."""
    e = html.escape
    body = "\n".join(_card(c, school, zone) for c in cards)
    made = now.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    return ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{e(texts.SHEET_TITLE.format(school=school))}</title><style>{STYLE}</style></head><body>"
            f"<h1>{e(texts.SHEET_TITLE.format(school=school))}</h1>"
            f"<p class=\"intro\">{e(texts.SHEET_INTRO.format(days=days))}（生成于 {made}）</p>"
            f"<main class=\"cards\">{body}</main></body></html>")
