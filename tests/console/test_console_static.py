"""The console's client side: one vendored, pinned library with its licence, our own script and style, no build."""

from __future__ import annotations

from pathlib import Path

from bot.app import App

STATIC = Path(__file__).resolve().parents[2] / "bot" / "console" / "static"


def test_htmx_is_vendored_pinned_and_licensed() -> None:
    assert 'version:"2.0.11"' in (STATIC / "htmx-2.0.11.min.js").read_text(encoding="utf-8")
    assert "Zero-Clause BSD" in (STATIC / "htmx-LICENSE.txt").read_text(encoding="utf-8")
    assert sorted(p.name for p in STATIC.iterdir()) == ["console.css", "console.js", "echarts-5.6.0.min.js",
                                                        "echarts-LICENSE.txt", "echarts-NOTICE.txt",
                                                        "htmx-2.0.11.min.js", "htmx-LICENSE.txt", "school.css",
                                                        "school_charts.js"]


def test_echarts_is_vendored_pinned_and_licensed() -> None:
    assert 'version="5.6.0"' in (STATIC / "echarts-5.6.0.min.js").read_text(encoding="utf-8") or \
        '"5.6.0"' in (STATIC / "echarts-5.6.0.min.js").read_text(encoding="utf-8")
    assert "Apache License" in (STATIC / "echarts-LICENSE.txt").read_text(encoding="utf-8")
    assert "Apache ECharts" in (STATIC / "echarts-NOTICE.txt").read_text(encoding="utf-8")


async def test_static_files_are_served_and_pages_need_no_inline_script(app: App, browser) -> None:
    b = browser()
    for name in ("htmx-2.0.11.min.js", "console.js", "console.css", "htmx-LICENSE.txt"):
        r = await b.get(f"/console/static/{name}")
        assert r.status_code == 200, name
    page = await b.get("/console/signin")
    assert "<script>" not in page.text and " on" + "click=" not in page.text and "style=" not in page.text
    assert (await b.get("/console")).status_code in (307, 308)
