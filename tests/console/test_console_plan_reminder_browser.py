"""The plan reminder in real Chromium against a real `xinqiao serve --demo`: a counsellor writes a plan in the file
page with a measure due today assigned to herself; once the reminder is due the server's one-second tick sends it,
and it arrives exactly once in her web chat inbox, naming the student but never the measure's content (reminders
never carry file content: bot/texts/students.py). Skips like tests/console/test_console_browser.py."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, update

from bot.db.models_messaging import OutboxMessage
from tests.conftest import run_cli
from tests.console import test_console_browser as base
from tests.console.helpers import page_wait

driver, served = base.driver, base.served  # the same fixtures: one Chromium, one real server for this module

MEASURE = "每天午休时陪伴谈话十分钟"
TAG = "【一生一策提醒】"


def _make_due(env: dict[str, str]) -> None:
    """The reminder's time has come: a row still waiting for 08:00 (a run before then) is due now."""
    engine = create_engine(env["XINQIAO_DATABASE_URL"])
    try:
        with engine.begin() as db:
            db.execute(update(OutboxMessage).where(OutboxMessage.ref.like("measure:%"),
                                                   OutboxMessage.state == "pending")
                       .values(due_at=datetime.now(UTC)))
    finally:
        engine.dispose()


def _reminders(server) -> list[dict]:
    return [m for m in server.inbox("demo-counsellor") if TAG in m["text"]]


def test_a_measure_due_today_reminds_its_person_once(driver, served) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    server, env = served
    done = run_cli(["students", "add", "--name", "周小舟", "--class", "初二(3)班"], env)
    assert done.returncode == 0, done.stderr
    assert _reminders(server) == []
    wait = page_wait(driver)
    base._choose_password_and_sign_in(driver, env, server.base, "陈老师（心理教师）")
    driver.find_element(By.LINK_TEXT, "学生档案").click()
    driver.find_element(By.LINK_TEXT, "周小舟").click()
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "学生档案：周小舟"))
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    driver.find_element(By.ID, "plan-goals").send_keys("午休时情绪稳定")
    driver.find_element(By.ID, "m0-text").send_keys(MEASURE)
    Select(driver.find_element(By.ID, "m0-who")).select_by_visible_text("陈老师（心理教师）")
    for element_id, day in (("m0-due", today), ("plan-review", today + timedelta(days=1))):  # review: tomorrow's
        driver.execute_script("document.getElementById(arguments[0]).value = arguments[1]", element_id,
                              day.isoformat())
    driver.find_element(By.ID, "plan-submit").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "done"), "计划已保存"))
    assert MEASURE in driver.find_element(By.ID, "plan-current").text

    _make_due(env)
    deadline = time.monotonic() + 15
    while not _reminders(server):
        assert time.monotonic() < deadline, "the reminder never arrived"
        time.sleep(0.2)
    time.sleep(3)  # three more ticks: nothing sends it again
    got = _reminders(server)
    assert len(got) == 1, got
    text = got[0]["text"]
    assert "周小舟" in text and "一项措施" in text and "今天到期" in text
    assert MEASURE not in text and "午休" not in text and "陪伴" not in text, "never the file's content"
