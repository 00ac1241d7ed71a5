"""The school pages in real Chromium against a real `xinqiao serve --demo`: the import preview (a GBK CSV with a
bad row, its row number and reason, fixed, applied), the duty grid (a gap in red), the figures' chart (ECharts
drew an SVG with the expected series). Skips like the other browser tests when Chromium is absent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.console.helpers import page_wait
from tests.console.test_console_browser import _available, _choose_password_and_sign_in, driver  # noqa: F401
from tests.server import Server, server_env

ADMIN = "赵老师（管理员）"
BAD = "名称,类型,年级,班主任\r\n初一(1)班,班级,7,\r\n初一(2)班,班级,7,\r\n,班级,7,\r\n"
GOOD = "名称,类型,年级,班主任\r\n初一(1)班,班级,7,\r\n初一(2)班,班级,7,\r\n初一(3)班,班级,7,\r\n"


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict[str, str], Path]]:
    """A real server with the demo school, an admin who is also a leader (imported by the CLI), a red note."""
    if _available():
        pytest.skip(_available())
    data = tmp_path_factory.mktemp("school-browser")
    env = server_env(data, f"sqlite:///{data / 'xinqiao.db'}")
    server = Server(env)
    try:
        server.wait_up()
        staff = data / "staff.csv"
        staff.write_text(f"姓名,角色,手机\n{ADMIN},管理员、危机干预小组负责人,13812345678\n", encoding="utf-8")
        for args in (["roster", "import", str(staff), "--kind", "staff"],
                     ["duty", "clear", "--days", "sat", "--from", "12:00", "--to", "14:00"]):
            done = run_cli(args, env)
            assert done.returncode == 0, done.stdout + done.stderr
        server.say("student-1", "我真的不想活了，每天都好累", "s1")
        yield server, env, data
    finally:
        server.stop()


@pytest.fixture(scope="module")
def signed_in(driver, school):  # noqa: ANN001, ANN201, F811 - the browser module's Chromium fixture
    server, env, _ = school
    _choose_password_and_sign_in(driver, env, server.base, ADMIN)
    return driver


def _wait(browser):  # noqa: ANN001, ANN202

    return page_wait(browser)


def test_import_preview_bad_row_then_fixed_and_applied(signed_in, school) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    d, (server, _, data) = signed_in, school
    bad, good = data / "classes-bad.csv", data / "classes.csv"
    bad.write_bytes(BAD.encode("gbk"))
    good.write_bytes(GOOD.encode("gbk"))
    d.get(server.base + "/console/school/import")
    Select(d.find_element(By.ID, "kind")).select_by_value("classes")
    d.find_element(By.ID, "file").send_keys(str(bad))
    d.find_element(By.ID, "preview-button").click()
    cells = _wait(d).until(ec.presence_of_all_elements_located((By.CSS_SELECTOR, "#problems tr.bad td")))
    assert cells[0].text == "4" and "名称" in cells[1].text
    assert not d.find_elements(By.ID, "apply-button")
    Select(d.find_element(By.ID, "kind")).select_by_value("classes")
    d.find_element(By.ID, "file").send_keys(str(good))
    d.find_element(By.ID, "preview-button").click()
    _wait(d).until(ec.presence_of_element_located((By.ID, "apply-button")))
    assert len(d.find_elements(By.CSS_SELECTOR, "#rows tr.act-add")) == 3
    d.find_element(By.ID, "apply-button").click()
    applied = _wait(d).until(ec.presence_of_element_located((By.ID, "applied")))
    assert "新增 3，修改 0" in applied.text and "有问题 0" in applied.text
    done = run_cli(["group", "list"], school[1])
    assert "初一(3)班" in done.stdout, done.stdout + done.stderr


def test_duty_grid_shows_the_gap_red(signed_in, school) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    d, (server, _, _) = signed_in, school
    d.get(server.base + "/console/school/duty")
    gaps = d.find_elements(By.CSS_SELECTOR, "#days .part.gap")
    assert gaps and any("12:00–14:00" in g.text for g in gaps)
    color = gaps[0].value_of_css_property("color")
    assert color.replace(" ", "") in ("rgba(179,38,30,1)", "rgb(179,38,30)")


def test_figures_chart_renders_with_its_series(signed_in, school) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    d, (server, _, _) = signed_in, school
    d.get(server.base + "/console/school/figures")
    el = _wait(d).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#chart-reports[data-chart-ready]")))
    assert el.find_elements(By.CSS_SELECTOR, "svg, canvas")
    option = d.execute_script(
        "var o = echarts.getInstanceByDom(arguments[0]).getOption();"
        "return {names: o.series.map(function (s) { return s.name; }),"
        " total: o.series.reduce(function (n, s) {"
        "   return n + s.data.reduce(function (a, b) { return a + b; }, 0); }, 0),"
        " sources: o.xAxis[0].data};", el)
    headers = [th.text for th in d.find_elements(By.CSS_SELECTOR, "#section-reports_by_source th")]
    assert option["names"] == headers[1:-1] and option["total"] >= 1
    assert option["sources"]
