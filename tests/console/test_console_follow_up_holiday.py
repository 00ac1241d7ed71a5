"""A follow-up on a day off school (a weekend, a holiday period) is asked again in the console, as the chat asks:
the form comes back (200, no error) naming the day, and only "仍然安排" for that same day schedules it."""

from __future__ import annotations

from datetime import date

from bot.app import App
from bot.db.models import Case
from bot.services.schedule.periods import add_period
from tests.console.helpers import give_password, person

RED_NOTE = "我今晚就从楼顶跳下去，不想活了"


async def _follow_up(app: App) -> date | None:
    async with app.sessions() as session:
        return (await session.get(Case, 1)).follow_up_on


async def test_holiday_and_weekend_follow_ups_are_confirmed(app: App, chat, browser) -> None:
    await chat.say("student-1", RED_NOTE)
    who = await person(app, "陈老师")
    await give_password(app, who)
    b = browser()
    await b.sign_in(who)
    await b.get("/console/cases/1")
    assert (await b.post("/console/cases/1/ack")).status_code == 303
    async with app.sessions() as session, session.begin():  # the school's leader enters it (test_console_schedules)
        await add_period(session=session, school_id=app.school_id, name="寒假", starts_on=date(2030, 1, 20),
                         ends_on=date(2030, 2, 20), checkin=None, zone=app.settings.zone)

    await b.get("/console/cases/1")
    asked = await b.post("/console/cases/1/follow_up", {"date": "2030-01-22"})  # a Tuesday in the winter holiday
    assert asked.status_code == 200
    assert 'id="fu-confirm"' in asked.text and "1月22日（周二）是寒假" in asked.text
    assert 'name="confirm" value="2030-01-22"' in asked.text and "仍然安排" in asked.text
    assert 'value="2030-01-22"' in asked.text.split('id="fu-date"')[1].split(">")[0]
    assert await _follow_up(app) is None, "nothing scheduled before it is confirmed"

    # A confirmation for another day does not confirm this one.
    again = await b.post("/console/cases/1/follow_up", {"date": "2030-01-23", "confirm": "2030-01-22"})
    assert again.status_code == 200 and "1月23日（周三）是寒假" in again.text
    assert await _follow_up(app) is None

    done = await b.post("/console/cases/1/follow_up", {"date": "2030-01-22", "confirm": "2030-01-22"})
    assert done.status_code == 303
    assert await _follow_up(app) == date(2030, 1, 22)

    await b.get("/console/cases/1")
    weekend = await b.post("/console/cases/1/follow_up", {"date": "2030-01-05"})  # a Saturday
    assert weekend.status_code == 200 and "1月5日（周六）是周末" in weekend.text
    assert await _follow_up(app) == date(2030, 1, 22)

    await b.get("/console/cases/1")
    school_day = await b.post("/console/cases/1/follow_up", {"date": "2030-01-08"})  # a Tuesday in term: no question
    assert school_day.status_code == 303
    assert await _follow_up(app) == date(2030, 1, 8)
