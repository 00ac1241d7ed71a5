"""The text catalogues: a school's texts.toml is loaded and served, a bad one is named and refused, the
crisis texts keep the safe-reply rules, and the labels a command parses stay fixed and in step."""

from __future__ import annotations

import ast
import os
import tomllib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from bot.app import App
from bot.config import Settings
from bot.texts import catalogue, crisis, menu
from bot.texts.catalogue import TextsError
from keywords import Triager
from tests.conftest import Chat, run_cli

ROOT = Path(__file__).resolve().parents[2]
GREETING = "欢迎来到{school_name}的心桥，这里是学校的倾听角。请选择："
REFUSED = "这个邀请码我们找不到，请再看一遍，或者请心理老师重新发一个。"
# A rewording of the red reply that keeps every rule: resources first, immediate safety, care, hope.
RED = ("现在有危险的话，请立刻拨打{emergency}，或拨打心理援助热线{hotline}，电话一直有人接。"
       "听起来你现在真的很难受，谢谢你告诉我。请先离开身边可能伤害到自己的东西，马上去找身边的大人，或者给他们打电话。"
       "学校的心理老师已经收到通知，会在这个匿名对话里联系你（编号 {code}，发送「查看 {code}」看老师的回复）。"
       "你的安全最重要，老师可能会请其他大人一起帮忙。很多人都从这样的时刻走了过来，帮助是有用的。")


@pytest.fixture(autouse=True)
def defaults_after() -> Iterator[None]:
    """The catalogues are the process's: every test leaves them at their defaults."""
    yield
    catalogue.apply({})


def _write(settings: Settings, body: str) -> Path:
    settings.ensure_data_dir()
    path = settings.data_dir / "texts.toml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture
async def school_chat(settings: Settings, triager: Triager) -> AsyncIterator[Chat]:
    """The demo school with a texts.toml of its own."""
    _write(settings, f'[menu]\nGREETING = "{GREETING}"\n\n[bind.REFUSED]\nunknown = "{REFUSED}"\n\n'
                     f'[crisis.STUDENT]\nred = "{RED}"\n')
    bot = App(settings, triager=triager)
    await bot.prepare(demo=True)
    bot.checkins_on_tick = False
    transport = httpx.ASGITransport(app=bot.asgi(clock=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
        yield Chat(client, bot)
    await bot.close()


async def test_a_schools_texts_are_served(school_chat: Chat) -> None:
    menu_reply = (await school_chat.say("student-1", "菜单"))[0]
    assert menu_reply["text"] == GREETING.format(school_name=school_chat.app.settings.school_name)
    assert menu_reply["options"][0] == menu.OPT_MAILBOX  # the labels are the catalogue's, unchanged
    await school_chat.say("student-2", "绑定")
    assert (await school_chat.say("student-2", "ZZZZ9999"))[0]["text"] == REFUSED
    red = (await school_chat.say("student-3", "我今晚就从楼顶跳下去"))[0]["text"]
    assert red.startswith("现在有危险的话，请立刻拨打110/120") and "12356" in red
    assert "你的安全最重要，老师可能会请其他大人一起帮忙。" in red
    orange = (await school_chat.say("student-4", "我真的不想活了"))[0]["text"]
    assert orange.startswith("你可以随时拨打心理援助热线12356")  # not overridden: the default


def _problems(path: Path) -> list[str]:
    with pytest.raises(TextsError) as caught:
        catalogue.read(path)
    return [str(p) for p in caught.value.problems]


def test_a_bad_file_is_named_with_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "texts.toml"
    path.write_text('[menu]\nGREETING = "你好"\nGRETING = "你好"\n\n[bind.REFUSED]\nused = "编号 {code} 用过了"\n'
                    '\n[counsellor]\nACKED = 12\nREPLIED = "已回复 {code"\n[nothing]\nX = "y"\n', encoding="utf-8")
    problems = _problems(path)
    assert problems[0] == (f"{path}:2: menu.GREETING: placeholders must be the default's ({{school_name}}): "
                           "missing {school_name}")
    assert problems[1].startswith(f"{path}:3: menu.GRETING: unknown key") and "menu.GREETING?" in problems[1]
    assert problems[2] == f"{path}:6: bind.REFUSED.used: placeholders must be the default's (none): unknown {{code}}"
    assert problems[3].startswith(f"{path}:9: counsellor.ACKED: wrong type: a text (a string) is needed, not int")
    assert problems[4].startswith(f"{path}:10: counsellor.REPLIED: bad braces")
    assert problems[5].startswith(f"{path}:12: nothing.X: unknown catalogue 'nothing'")
    assert len(problems) == 6


def test_bad_toml_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "texts.toml"
    path.write_text('[menu]\nGREETING = "你好，{school_name}"\nEXPIRED = 回到主菜单\n', encoding="utf-8")
    (problem,) = _problems(path)
    assert problem.startswith(f"{path}:3: not valid TOML")


def test_labels_are_not_overridable(tmp_path: Path) -> None:
    """A label is matched by a command, carried by buttons already queued and taught to members: fixed."""
    path = tmp_path / "texts.toml"
    path.write_text('[menu]\nOPT_MENU = "目录"\n\n[counsellor.OUTCOME_NAMES]\nresolved = "完成"\n', encoding="utf-8")
    problems = _problems(path)
    assert problems == [f"{path}:2: menu.OPT_MENU: a label or word list a command matches: not overridable "
                        "(reword the texts around it)",
                        f"{path}:5: counsellor.OUTCOME_NAMES.resolved: a label or word list a command matches: "
                        "not overridable (reword the texts around it)"]


async def test_the_server_refuses_a_bad_file_and_applies_nothing(settings: Settings, triager: Triager) -> None:
    _write(settings, f'[menu]\nGREETING = "{GREETING}"\nGRETING = "x"\n')
    with pytest.raises(TextsError) as caught:
        App(settings, triager=triager)
    assert "texts.toml:3: menu.GRETING: unknown key" in str(caught.value)
    assert menu.GREETING != GREETING  # never half-overridden


async def test_a_crisis_text_that_drops_the_hotline_is_refused(settings: Settings, triager: Triager) -> None:
    dropped = RED.replace("，或拨打心理援助热线{hotline}", "") + "心理援助热线：{hotline}。"  # named, but last
    _write(settings, f'[crisis.STUDENT]\nred = "{dropped}"\n')
    with pytest.raises(TextsError) as caught:
        App(settings, triager=triager)
    (problem,) = caught.value.problems
    assert problem.key == "crisis.STUDENT.red" and problem.line == 2
    assert problem.reason == "the first sentence must name 12356 (rule 1: resources first)"
    assert crisis.STUDENT["red"] != dropped


def test_texts_check_runs_the_safe_reply_rules(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    env = dict(os.environ, XINQIAO_DATA_DIR=str(data), XINQIAO_SECRET_KEY="k", COLUMNS="200")
    ok = run_cli(["texts", "check"], env)
    assert ok.returncode == 0 and "ok: the defaults (no texts.toml); 20 crisis texts pass" in ok.stdout
    good = data / "texts.toml"
    good.write_text(f'[crisis.STUDENT]\nred = "{RED}"\n', encoding="utf-8")
    assert run_cli(["texts", "check"], env).returncode == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('[crisis.MEMBER]\norange = "请联系学校心理老师（{school}）。谢谢你的报告（案例 #{case_id}），'
                   '我们会替你保密。热线{hotline}，紧急{emergency}。"\n', encoding="utf-8")
    done = run_cli(["texts", "check", str(bad)], env)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert f"{bad}:2: crisis.MEMBER.orange: the first sentence must name 12356 (rule 1: resources first)" in lines
    assert f"{bad}:2: crisis.MEMBER.orange: must say 「不要替同学保守这个秘密」" in lines
    assert f"{bad}:2: crisis.MEMBER.orange: uses 「保密」: a promise of secrecy (rule 5)" in lines
    assert "the server refuses this file" in done.stderr
    good.write_text(bad.read_text(encoding="utf-8"), encoding="utf-8")
    refused = run_cli(["serve", "--port", "1"], env)  # refused before anything listens
    assert refused.returncode == 2
    assert "texts.toml:2: crisis.MEMBER.orange: uses 「保密」" in refused.stderr


def test_texts_list_is_a_file_to_start_from(tmp_path: Path) -> None:
    env = dict(os.environ, XINQIAO_DATA_DIR=str(tmp_path / "data"), XINQIAO_SECRET_KEY="k")
    listed = run_cli(["texts", "list"], env)
    assert listed.returncode == 0
    path = tmp_path / "texts.toml"
    path.write_text(listed.stdout, encoding="utf-8")
    assert tomllib.loads(listed.stdout)["menu"]["GREETING"] == menu.GREETING
    assert catalogue.read(path).keys() == {e.key for e in catalogue.entries()}  # every text, each valid as it is
    one = run_cli(["texts", "list", "bind"], env)
    assert "[bind.REFUSED]" in one.stdout and "[menu]" not in one.stdout
    assert run_cli(["texts", "list", "nope"], env).returncode == 2


def _texts_imported_by_value() -> list[str]:
    bad = []
    for where in ("handlers", "bot"):
        for path in sorted((ROOT / where).rglob("*.py")):
            if path.is_relative_to(ROOT / "bot" / "texts"):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot.texts."):
                    flow = node.module.rpartition(".")[2]
                    for alias in node.names:
                        if f"{flow}.{alias.name}" in catalogue.ENTRIES or any(
                                k.startswith(f"{flow}.{alias.name}.") for k in catalogue.ENTRIES):
                            bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {alias.name}")
    return bad


def test_texts_are_read_through_their_module_labels_may_be_imported() -> None:
    """`from bot.texts.menu import GREETING` would keep the default when a school overrides it."""
    assert _texts_imported_by_value() == []


async def test_the_labels_shown_are_the_labels_parsed(chat) -> None:
    """Every button the menu, the mailbox and a page show is read back by its command, never as free text."""
    await chat.say("demo-member", "菜单")
    for option in (await chat.say("demo-member", "菜单"))[0]["options"]:
        reply = (await chat.say("demo-member", option))[0]
        assert "这不是一个命令" not in reply["text"] and "放进匿名心理信箱" not in reply["text"], option
        await chat.say("demo-member", menu.OPT_CANCEL)
    note = await chat.say("student-20", "我真的不想活了")
    view = note[0]["options"][0]
    assert (await chat.say("student-20", view))[0]["text"].startswith("编号 ")
    page = [m for m in await chat.inbox("demo-counsellor") if m["kind"] == "page"][-1]
    acked = await chat.say("demo-counsellor", page["options"][0])
    assert acked[0]["text"].startswith(f"已确认接手案例 #{page['case_id']}")


def test_a_crisis_text_without_the_hotline_placeholder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "texts.toml"
    path.write_text(f'[crisis]\nFOOTER = "——\\n如有危险请拨打{{emergency}}；学校心理老师：{{school}}"\n'
                    f'[crisis.OUTAGE]\norange = "{RED}"\n', encoding="utf-8")
    problems = _problems(path)
    assert problems[0] == (f"{path}:2: crisis.FOOTER: placeholders must be the default's "
                           "({emergency}, {hotline}, {school}): missing {hotline}")
    assert problems[1] == (f"{path}:4: crisis.OUTAGE.orange: placeholders must be the default's "
                           "({emergency}, {hotline}, {school}): missing {school}; unknown {code}")


def test_a_page_keeps_the_lines_the_digest_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "texts.toml"
    path.write_text('[paging]\nPAGE_TEXT = "{head}【预警 {level_name}】#{case_id} {where}：{excerpt}"\n',
                    encoding="utf-8")
    overrides = catalogue.read(path)  # well formed: every placeholder kept
    problems = [str(p) for p in catalogue.check(overrides, Settings(secret_key="k"), path=path)]
    assert problems == [f"{path}:2: paging.PAGE_TEXT: must keep 「来源：」 (other code reads it back)",
                        f"{path}:2: paging.PAGE_TEXT: must keep 「摘要：」 (other code reads it back)"]
