"""Invites in one go, reissued, the printable sheet; WeChat's parametrised QR code binds on scan (through the fake)."""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import select

from bot.channels.wechat_qr import invite_qr
from bot.db.models import AuditEntry, Group, Identity, InviteCode, Person
from bot.services.school import invite_sheet, invites
from bot.services.school.people import BindError, bind
from tests.bot.test_wechat import WeChat, wechat, weixin, wx  # noqa: F401,F811 - the WeChat fixtures
from tests.conftest import run_cli


async def _people(app) -> dict[str, int]:
    async with app.sessions() as session, session.begin():
        group = (await session.execute(select(Group).where(Group.name == "初二(3)班"))).scalar_one()
        added = {}
        for name, roles in (("赵同学", "member_class"), ("孙同学", "member_class"), ("钱老师", "counsellor")):
            person = Person(school_id=group.school_id, name=name, roles=roles,
                            group_id=group.id if roles.startswith("member") else None)
            session.add(person)
            await session.flush()
            added[name] = person.id
        return added


async def test_issue_reissue_sheet_and_scene_binding(wx, wechat: WeChat) -> None:  # noqa: F811
    app, fake = wx
    fake.qr_created.clear()
    ids = await _people(app)
    async with app.sessions() as session, session.begin():
        issued = await invites.issue_missing(session=session, school_id=1)
        assert sorted(p.name for p, _c in issued) == ["孙同学", "赵同学", "钱老师"]  # the demo people are bound
        assert await invites.issue_missing(session=session, school_id=1) == []  # one go: nobody twice
    codes = {p.name: c for p, c in issued}
    qr = invite_qr(app.settings)
    assert qr is not None
    try:
        async with app.sessions() as session, session.begin():
            cards = await invites.cards(session=session, school_id=1, scene_qr=qr[0])
        async with app.sessions() as session, session.begin():
            again = await invites.cards(session=session, school_id=1, scene_qr=qr[0])
    finally:
        await qr[1].close()
    by_name = {c.name: c for c in cards}
    assert by_name["赵同学"].qr_from_wechat and by_name["赵同学"].qr_text.startswith("http://weixin.qq.com/q/fake-")
    assert by_name["钱老师"].qr_text == f"绑定 {codes['钱老师']}"  # staff bind in WeCom or Telegram
    assert by_name["李小雨（班级心理委员）"].bound and by_name["李小雨（班级心理委员）"].code is None
    scenes = sorted(b["action_info"]["scene"]["scene_str"] for b in fake.qr_created)
    assert scenes == sorted(f"bind:{codes[n]}" for n in ("孙同学", "赵同学"))  # asked once: kept on the code
    assert all(0 < b["expire_seconds"] <= 14 * 86400 for b in fake.qr_created)
    assert [c.qr_text for c in again] == [c.qr_text for c in cards]
    html = invite_sheet.render(cards=cards, school="心桥示范学校", zone=app.settings.zone,
                               now=datetime.now(app.settings.zone))
    assert html.count('<section class="card') == len(cards) and "@media print" in html
    assert html.count("<svg") == 3 and html.count('data-bound="1"') == 5  # the five demo people
    assert f'data-qr="{by_name["赵同学"].qr_text}"' in html and "扫一扫" in html

    now = int(time.time())
    hello = await wechat.post(wechat.xml("oSCAN1", "event", now, Event="subscribe",
                                         EventKey=f"qrscene_bind:{codes['赵同学']}", Ticket="gQ-fake-1"))
    text = wechat.reply_text(hello)
    assert "欢迎关注" in text and "绑定成功" in text and "赵同学" in text
    retry = await wechat.post(wechat.xml("oSCAN1", "event", now, Event="subscribe",
                                         EventKey=f"qrscene_bind:{codes['赵同学']}", Ticket="gQ-fake-1"))
    assert wechat.reply_text(retry) == text  # WeChat's retry of the same event: the same answer, nothing new
    scan = await wechat.post(wechat.xml("oSCAN2", "event", now + 1, Event="SCAN", EventKey=f"bind:{codes['孙同学']}"))
    assert "绑定成功" in wechat.reply_text(scan)
    stray = await wechat.post(wechat.xml("oSCAN3", "event", now + 2, Event="SCAN", EventKey="bind:NOPE1234"))
    assert "不存在" in wechat.reply_text(stray)
    async with app.sessions() as session:
        bound = dict((await session.execute(select(Identity.external_id, Identity.person_id).where(
            Identity.channel == "wechat"))).all())
        assert bound == {"oSCAN1": ids["赵同学"], "oSCAN2": ids["孙同学"]}
        actions = [a.action for a in (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars()]
        assert actions.count("invite.create") == 3 and actions.count("identity.bind") == 2
        assert "invite.sheet" in actions

    async with app.sessions() as session, session.begin():
        teacher = await session.get(Person, ids["钱老师"])
        new = await invites.reissue(session=session, school_id=1, person=teacher)
        assert new != codes["钱老师"]
    async with app.sessions() as session, session.begin():
        try:
            await bind(session=session, channel="wecom", external_id="qian", code=codes["钱老师"])
            raise AssertionError("a reissued code's old one still worked")
        except BindError as refused:
            assert refused.reason == "expired"
    async with app.sessions() as session, session.begin():
        assert (await bind(session=session, channel="wecom", external_id="qian", code=new)).name == "钱老师"
        valid = (await session.execute(select(InviteCode).where(InviteCode.person_id == ids["钱老师"]))).scalars().all()
        assert len(valid) == 2


def test_cli_issue_and_sheet_without_wechat(tmp_path, cli_env: dict[str, str]) -> None:
    members = tmp_path / "m.csv"
    classes = tmp_path / "c.csv"
    classes.write_text("名称\n初一(1)班\n初一(2)班\n", encoding="utf-8")
    members.write_text("姓名,班级或寝室\n周一,初一(1)班\n吴二,初一(2)班\n", encoding="utf-8")
    assert run_cli(["roster", "import", str(classes), "--kind", "classes"], cli_env).returncode == 0
    assert run_cli(["roster", "import", str(members), "--kind", "members"], cli_env).returncode == 0
    issued = run_cli(["invite", "issue", "--days", "7"], cli_env)
    assert issued.returncode == 0 and "已生成 2 个邀请码" in issued.stdout
    code = next(line.split()[-1] for line in issued.stdout.splitlines() if line.startswith("周一"))
    sheet = tmp_path / "sheet.html"
    made = run_cli(["invite", "sheet", "--out", str(sheet)], cli_env)
    assert made.returncode == 0 and "2 张" in made.stdout, made.stderr
    page = sheet.read_text(encoding="utf-8")
    assert f'data-qr="绑定 {code}"' in page and "初一(1)班" in page and page.count("<svg") == 2
    again = run_cli(["invite", "reissue", "周一"], cli_env)
    assert again.returncode == 0 and "重新生成" in again.stdout
    assert run_cli(["invite", "reissue", "没有这个人"], cli_env).returncode == 2
