"""A student's file in real Chromium against a real `xinqiao serve --demo`: open it, revise the plan (the earlier
version stays readable), and see the consent rule refuse 已送出 without a consent record, then accept it after one.
Skips (or fails, with XINQIAO_BROWSER_TESTS=required) like tests/console/test_console_browser.py."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.conftest import run_cli
from tests.console import test_console_browser as base
from tests.console.helpers import page_wait

driver, served = base.driver, base.served  # the same fixtures: one Chromium, one real server for this module

SCRIPT_REASON = "情绪低落<script>window.pwned=1</script>"


def _set(chromium, element_id: str, value: str) -> None:
    """A date input set as a person picks a day (the locale's typing order does not matter)."""
    chromium.execute_script("document.getElementById(arguments[0]).value = arguments[1]", element_id, value)


def test_file_page_plan_revision_and_the_consent_rule(driver, served) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    server, env = served
    for args in (["students", "add", "--name", "林小雨", "--class", "初二(3)班", "--guardian", "林芳,母亲,13800000000"],
                 ["institutions", "add", "--name", "市精神卫生中心", "--department", "儿童青少年科"]):
        done = run_cli(args, env)
        assert done.returncode == 0, done.stderr
    wait = page_wait(driver)
    base._choose_password_and_sign_in(driver, env, server.base, "陈老师（心理教师）")
    driver.find_element(By.LINK_TEXT, "学生档案").click()
    driver.find_element(By.LINK_TEXT, "林小雨").click()
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "学生档案：林小雨"))

    Select(driver.find_element(By.ID, "att-level")).select_by_value("key")
    driver.find_element(By.ID, "att-reason").send_keys(SCRIPT_REASON)
    driver.find_element(By.CSS_SELECTOR, "#form-attention button").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "done"), "关注等级已更改"))
    assert driver.execute_script("return window.pwned === undefined")
    assert SCRIPT_REASON in driver.find_element(By.ID, "timeline").text

    soon = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=7)).isoformat()
    driver.find_element(By.ID, "plan-goals").send_keys("恢复睡眠")
    driver.find_element(By.ID, "m0-text").send_keys("每周谈话一次")
    Select(driver.find_element(By.ID, "m0-who")).select_by_visible_text("陈老师（心理教师）")
    _set(driver, "m0-due", soon)
    _set(driver, "plan-review", soon)
    driver.find_element(By.ID, "plan-submit").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "done"), "计划已保存"))
    goals = driver.find_element(By.ID, "plan-goals")  # the revision starts from the plan in force
    assert goals.get_attribute("value") == "恢复睡眠"
    goals.send_keys("\n回到课堂")
    driver.find_element(By.ID, "m1-text").send_keys("晚上陪伴")
    Select(driver.find_element(By.ID, "m1-who")).select_by_visible_text("监护人")
    _set(driver, "m1-due", soon)
    driver.find_element(By.ID, "plan-submit").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "plan-current"), "第 2 版"))
    assert "回到课堂" in driver.find_element(By.ID, "plan-current").text
    driver.find_element(By.CSS_SELECTOR, "#plan-earlier summary").click()
    assert "第 1 版" in driver.find_element(By.ID, "plan-earlier").text

    driver.find_element(By.CSS_SELECTOR, "#form-referral button").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "done"), "转介记录已建立"))
    send = driver.find_element(By.CSS_SELECTOR, "form[id^=form-send-]")
    assert "还没有监护人同意" in send.text
    send.find_element(By.CSS_SELECTOR, "button").click()
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "main"), "还没有监护人同意的记录"))
    driver.back()
    driver.refresh()
    wait.until(ec.presence_of_element_located((By.ID, "form-consent")))
    assert "准备中" in driver.find_element(By.ID, "referrals").text
    Select(driver.find_element(By.ID, "co-how")).select_by_value("phone")
    driver.find_element(By.ID, "co-note").send_keys("电话中同意就诊")
    driver.find_element(By.ID, "consent-submit").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "done"), "监护人同意已记录"))
    send = driver.find_element(By.CSS_SELECTOR, "form[id^=form-send-]")
    assert "已有监护人同意" in send.text
    _set(driver, send.find_element(By.CSS_SELECTOR, "input[name=feedback_due_on]").get_attribute("id"), soon)
    send.find_element(By.CSS_SELECTOR, "button").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "done"), "转介已标记为送出"))
    referrals = driver.find_element(By.ID, "referrals").text
    assert "已送出" in referrals and "市精神卫生中心" in referrals and "已有监护人同意" in referrals
    base._shot(driver, "student-file.png")
