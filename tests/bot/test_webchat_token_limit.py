"""Web chat tokens are limited per client address and hour, over real HTTP to a real `serve`: the refusal says
why in Chinese with Retry-After, the address is never stored in clear, and a token already issued still sends
(a crisis note is never limited)."""

from __future__ import annotations

import sqlite3

import httpx

from tests.server import Server, server_env


def test_issuance_is_limited_and_messages_on_a_token_are_not(tmp_path) -> None:
    db = tmp_path / "serve.db"
    server = Server(server_env(tmp_path / "data", f"sqlite:///{db}", XINQIAO_WEBCHAT="on",
                               XINQIAO_WEBCHAT_TOKENS_PER_HOUR="3"))
    try:
        server.wait_up()
        tokens = []
        for _ in range(3):
            r = httpx.post(server.base + "/chat/api/token", json={}, timeout=10)
            assert r.status_code == 200, r.text
            tokens.append(r.json()["token"])
        refused = httpx.post(server.base + "/chat/api/token", json={}, timeout=10)
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 3600
        reason = refused.json()["error"]
        assert "分钟后再试" in reason and "已经打开的聊天不受影响" in reason and "12356" in reason
        assert refused.headers["cache-control"] == "no-store"  # the API's own headers, as every answer

        # Issuance is refused, yet every token already issued still writes, a crisis first of all.
        auth = {"Authorization": "Bearer " + tokens[0]}
        r = httpx.post(server.base + "/chat/api/messages", headers=auth, timeout=20,
                       json={"text": "我不想活了，今晚就想结束自己", "client_id": "crisis-1"})
        assert r.status_code == 200, r.text
        assert r.json()["replies"] and any("12356" in reply["text"] for reply in r.json()["replies"])
        for i, token in enumerate(tokens[1:]):
            r = httpx.post(server.base + "/chat/api/messages", headers={"Authorization": "Bearer " + token},
                           json={"text": "菜单", "client_id": f"menu-{i}"}, timeout=20)
            assert r.status_code == 200, r.text
        r = httpx.get(server.base + "/chat/api/inbox", headers=auth, timeout=10)
        assert r.status_code == 200
        assert httpx.post(server.base + "/chat/api/token", json={}, timeout=10).status_code == 429  # still refused
    finally:
        server.stop()
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT key, day, count FROM rate_counters WHERE day LIKE 't%'").fetchall()
    assert [count for _, _, count in rows] == [5]  # one client, one hour: 3 issued, 2 refused
    assert all("127.0.0.1" not in key + day for key, day, _ in rows)
    assert "127.0.0.1" not in server.log.read_text().replace(server.base, "")
