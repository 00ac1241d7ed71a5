"""The console's invite sheet uses WeChat's parametrised QR codes when the Official Account is configured (through
the fake), as `xinqiao invite sheet` does; a per-person reissue button makes the old code stop working."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from bot.db.models import AuditEntry, Group, InviteCode
from tests.bot import test_wechat
from tests.console.helpers import Browser, add_person, give_password

weixin, wx = test_wechat.weixin, test_wechat.wx  # the app with WeChat on, and the fake Official Account


async def test_sheet_has_wechat_qr_codes_and_one_person_is_reissued(wx) -> None:
    app, fake = wx
    fake.qr_created.clear()
    async with app.sessions() as session:
        group = (await session.execute(select(Group).where(Group.kind == "class"))).scalars().first()
    member = await add_person(app, "赵同学", "member_class", group_id=group.id)
    admin = await add_person(app, "测试管理员", "admin")
    await give_password(app, admin)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app.asgi(clock=False)), base_url="http://xinqiao.test")
    try:
        b = Browser(client, app)
        await b.sign_in(admin)
        await b.get("/console/school/invites")
        assert (await b.post("/console/school/invites/issue", {})).status_code == 303
        page = await b.get("/console/school/invites")
        assert f'data-person="{member.id}"' in page.text and "有效至" in page.text
        sheet = await b.get("/console/school/invites/sheet")
        assert sheet.status_code == 200
        scenes = [q["action_info"]["scene"]["scene_str"] for q in fake.qr_created]
        async with app.sessions() as session:
            old = (await session.execute(select(InviteCode).where(InviteCode.person_id == member.id))).scalar_one()
        assert f"bind:{old.code}" in scenes and old.qr_url and old.qr_url.startswith("http://weixin.qq.com/q/fake-")
        assert f'data-qr="{old.qr_url}"' in sheet.text  # the member's card carries WeChat's code, not the text one

        r = await b.post("/console/school/invites/reissue", {"person": str(member.id)})
        assert r.status_code == 303
        page = await b.get(r.headers["location"])
        assert "赵同学" in page.text and "旧的邀请码已失效" in page.text
        async with app.sessions() as session:
            codes = list((await session.execute(select(InviteCode).where(InviteCode.person_id == member.id)
                                                .order_by(InviteCode.id))).scalars())
            audits = list((await session.execute(select(AuditEntry).where(
                AuditEntry.action == "invite.reissue"))).scalars())
        assert len(codes) == 2 and codes[0].expires_at <= codes[1].created_at and codes[1].qr_url is None
        assert [a.target for a in audits] == [f"person:{member.id}"] and audits[0].actor == f"person:{admin.id}"
        assert (await b.post("/console/school/invites/reissue", {"person": "999999"})).status_code == 400
    finally:
        await client.aclose()
