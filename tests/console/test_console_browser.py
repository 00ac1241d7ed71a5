"""The console in real Chromium (Debian's chromium and chromium-driver, driven by Selenium) against a real
`xinqiao serve --demo` on loopback. Locally these skip with the reason when Chromium is absent; with
XINQIAO_BROWSER_TESTS=required (CI) they fail instead. XINQIAO_SCREENSHOTS=DIR saves the queue and a case page."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import run_cli
from tests.console.helpers import page_wait
from tests.server import Server, server_env

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
PASSWORD = "一个足够长的密码 2026"
SCRIPT_NOTE = "我今晚就从楼顶跳下去<script>window.pwned=1;document.title='pwned'</script>"
STEP = 20  # seconds each step of the red chain waits here: the backup would be paged 20 s after the note


def _available() -> str:
    """Why the browser tests cannot run here, or ''."""
    for path in (CHROMIUM, DRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} is not installed (apt-get install chromium chromium-driver fonts-noto-cjk)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e .[dev])"
    return ""


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    """One headless Chromium for the module."""
    why = _available()
    if why:
        if os.environ.get("XINQIAO_BROWSER_TESTS") == "required":
            pytest.fail("browser tests are required here, but " + why)
        print(f"\nskipping browser tests: {why}")
        pytest.skip(why)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=zh-CN",
                "--window-size=1280,900", "--disable-background-timer-throttling"):
        options.add_argument(arg)
    browser = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    browser.implicitly_wait(0)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict[str, str]]]:
    """A real server with the demo school; a head teacher invited; the red chain shortened to 20 s steps."""
    if _available():
        pytest.skip(_available())
    data = tmp_path_factory.mktemp("console-browser")
    env = server_env(data, f"sqlite:///{data / 'xinqiao.db'}")
    server = Server(env)
    try:
        server.wait_up()
        invite = ["invite", "create", "--name", "王老师（班主任）", "--role", "head_teacher", "--group", "初二(3)班"]
        for args in (invite,
                     ["policy", "set", "red", "--steps", f"on_duty:{STEP}s,backup:{STEP}s,leaders:{STEP}s"]):
            done = run_cli(args, env)
            assert done.returncode == 0, done.stderr
        yield server, env
    finally:
        server.stop()


def _link(env: dict[str, str], name: str, base: str) -> str:
    done = run_cli(["user", "set-password", name], env)
    assert done.returncode == 0, done.stderr
    link = done.stdout.strip().splitlines()[-1]
    return base + link[link.index("/console/"):]


def _choose_password_and_sign_in(driver, env: dict[str, str], base: str, name: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    wait = page_wait(driver)
    driver.delete_all_cookies()
    driver.get(_link(env, name, base))
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "password2").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "main"), "密码已保存"))
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait.until(lambda d: "/console/signin" not in d.current_url)


def _shot(driver, name: str) -> None:
    where = os.environ.get("XINQIAO_SCREENSHOTS")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(where) / name))


def test_red_case_live_ack_reply_close(driver, served) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    server, env = served
    wait = page_wait(driver)
    for user, text in (("student-3", "匿名心理信箱"), ("student-3", "最近和室友闹矛盾，晚上总是睡不着，很难受"),
                       ("student-4", "我真的不想活了，每天都好累")):  # earlier cases: the red one must go first
        server.say(user, text, f"early-{user}-{len(text)}")
    _choose_password_and_sign_in(driver, env, server.base, "陈老师（心理教师）")
    wait.until(ec.presence_of_element_located((By.ID, "queue-rows")))
    assert "待处理案例" in driver.find_element(By.TAG_NAME, "h1").text
    time.sleep(0.5)  # the page's script has seen the (empty) list
    sent_at = time.monotonic()
    replies = server.say("student-1", SCRIPT_NOTE, "b1")
    assert "12356" in replies[0]["text"]
    row = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "tr.lv-red a")))  # no reload
    wait.until(lambda d: "新红色案例" in d.title)  # the title flashes for a new red case
    rows = driver.find_elements(By.CSS_SELECTOR, "#queue-rows tr")
    assert len(rows) == 3 and "红色" in rows[0].text and "橙色" in rows[1].text, "most urgent first"
    _shot(driver, "queue.png")
    case_path = row.get_attribute("href").split(server.base, 1)[-1]
    row.click()
    marks = wait.until(ec.presence_of_all_elements_located((By.CSS_SELECTOR, "mark.ev-red")))
    assert any("跳" in m.text or "楼顶" in m.text for m in marks)
    assert driver.execute_script("return window.pwned === undefined") and "pwned" not in driver.title
    assert "<script>window.pwned=1;" in driver.find_element(By.CSS_SELECTOR, ".report .text").text
    driver.find_element(By.ID, "ack").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "done"), "已确认接手"))
    assert "陈老师" in driver.find_element(By.ID, "case-holder").text

    note = driver.find_element(By.ID, "note-text")
    note.send_keys('<script>window.pwned=2</script><b>粗体</b>')
    driver.find_element(By.ID, "note-submit").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "done"), "已记录"))
    assert driver.execute_script("return window.pwned === undefined")
    assert "<script>window.pwned=2</script><b>粗体</b>" in driver.find_element(By.CSS_SELECTOR, "ol.timeline").text

    driver.find_element(By.ID, "reply-text").send_keys("你好，我是陈老师。你现在安全吗？愿意和我说说吗？")
    driver.find_element(By.ID, "reply-submit").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "done"), "已回复"))
    deadline = time.monotonic() + 10
    while not any(m["kind"] == "reply" and "你现在安全吗" in m["text"] for m in server.inbox("student-1")):
        assert time.monotonic() < deadline, "the student never got the reply"
        time.sleep(0.2)
    _shot(driver, "case.png")
    if os.environ.get("XINQIAO_SCREENSHOTS"):  # the queue as counsellors see it on a phone, from a WeCom link
        driver.set_window_size(390, 844)
        driver.get(server.base + "/console/")
        wait.until(ec.presence_of_element_located((By.ID, "queue-rows")))
        _shot(driver, "queue-phone.png")
        driver.set_window_size(1280, 900)
        driver.get(server.base + case_path)

    left = STEP + 4 - (time.monotonic() - sent_at)
    if left > 0:
        time.sleep(left)  # past the on-duty step: had the chain gone on, the backup would be paged now
    backup = httpx.get(server.base + "/chat/api/inbox", params={"user": "demo-backup"}, timeout=10).json()["messages"]
    assert not [m for m in backup if m["kind"] == "page"], "the chain stopped: the backup got no page"

    from selenium.webdriver.support.ui import Select
    Select(driver.find_element(By.ID, "outcome")).select_by_value("resolved")
    driver.find_element(By.ID, "close-text").send_keys("已与学生面谈，情况稳定")
    driver.find_element(By.ID, "close-submit").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "case-status"), "已结案"))
    deadline = time.monotonic() + 10
    while not any("结束了这次对话" in m["text"] for m in server.inbox("student-1")):
        assert time.monotonic() < deadline, "the student was not told the case ended"
        time.sleep(0.2)


def test_head_teacher_cannot_open_an_unshared_case(driver, served) -> None:
    from selenium.webdriver.common.by import By

    server, env = served
    server.say("student-2", "我真的不想活了", "b2")  # an anonymous note (a head teacher never sees those)
    _choose_password_and_sign_in(driver, env, server.base, "王老师（班主任）")
    for case_id in (1, 2, 3, 4):
        driver.get(server.base + f"/console/cases/{case_id}")
        assert "没有权限" in driver.find_element(By.TAG_NAME, "h1").text
    assert "楼顶" not in driver.page_source
    driver.get(server.base + "/console/")
    assert 'href="/console/cases/' not in driver.page_source
