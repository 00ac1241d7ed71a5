"""Issue 14, point 5: the web chat page shows the menu on first load and keeps the conversation across a reload.

The page's own script runs under Node with a minimal DOM; its requests go to the real chat API
(answered here, through the ASGI app) so the replies are the bot's own.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

HARNESS = r"""
const fs = require('fs');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const store = new Map(Object.entries(input.storage));
const el = () => ({ children: [], appendChild(c) { this.children.push(c); }, set innerHTML(v) { this.children = []; },
  scrollTop: 0, scrollHeight: 0, value: '', addEventListener() {}, onclick: null, onsubmit: null, className: '',
  textContent: '' });
const nodes = { log: el(), user: el(), switch: el(), send: el(), text: el(), picker: el(), private: el() };
global.document = { getElementById: (id) => nodes[id], createElement: () => el(),
  createTextNode: (t) => ({ text: t }), body: { dataset: { mode: 'demo' } } };
global.localStorage = { getItem: () => input.user, setItem() {} };
global.sessionStorage = { getItem: (k) => store.has(k) ? store.get(k) : null, setItem: (k, v) => store.set(k, v) };
global.crypto = { randomUUID: () => 'id-' + Math.random() };
const posted = [];
global.fetch = async (url, opts) => {
  if (opts && opts.method === 'POST') {
    posted.push(JSON.parse(opts.body).text);
    return { ok: true, json: async () => ({ replies: input.replies[posted.length - 1] || [] }) };
  }
  return { ok: true, json: async () => ({ messages: [] }) };
};
const setTimeout2 = setTimeout;
global.setTimeout = () => 0;  // the page's inbox poll runs once
eval(input.script);
if (input.say) setImmediate(() => send(input.say));
setTimeout2(() => {
  const texts = nodes.log.children.map(
    (d) => d.children.filter((c) => c.text !== undefined).map((c) => c.text).join(''));
  process.stdout.write(JSON.stringify({ posted, texts, storage: Object.fromEntries(store) }));
}, 50);
"""


def _run_page(script: str, storage: dict[str, str], replies: list[list[dict]], say: str = "") -> dict:
    node = shutil.which("node")
    if node is None:  # .ci/run installs it: in CI a missing node fails rather than skips
        (pytest.fail if os.environ.get("CI") else pytest.skip)("node is not installed (apt-get install nodejs)")
    done = subprocess.run([node, "-e", HARNESS], input=json.dumps(
        {"script": script, "storage": storage, "replies": replies, "user": "student-70", "say": say}),
        capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


async def test_first_load_shows_the_menu_and_a_reload_keeps_the_conversation(chat) -> None:
    page = (await chat.client.get("/chat")).text
    script = re.search(r"<script>(.*)</script>", page, re.S).group(1)
    menu = await chat.say("student-70", "菜单")
    reply = await chat.say("student-70", "今天心情不好")
    first = _run_page(script, {}, [menu, reply], say="今天心情不好")
    assert first["posted"] == ["菜单", "今天心情不好"]  # first load asks for the menu
    assert any("心桥" in t for t in first["texts"]) and any("放进匿名心理信箱" in t or "匿名信箱" in t
                                                         for t in first["texts"][-1:])
    second = _run_page(script, first["storage"], [])  # a reload of the same tab
    assert second["posted"] == [] and second["texts"] == first["texts"]  # nothing re-sent, the replies kept
    assert "今天心情不好" in second["texts"]
