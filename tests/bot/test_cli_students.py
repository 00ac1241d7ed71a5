"""`xinqiao students …` and `xinqiao institutions …` as an admin runs them: same names, bad input refused
with nothing written, the file shown, export and erase audited, counts kept."""

from __future__ import annotations

import json

from tests.conftest import run_cli as _run


def _ok(args: list[str], env: dict[str, str]) -> str:
    done = _run(args, env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_students_cli_end_to_end(cli_env: dict[str, str], tmp_path) -> None:
    assert "added student 1" in _ok(["students", "add", "--name", "李明", "--class", "初二(3)班",
                                     "--guardian", "王芳,母亲,138-0000-0000"], cli_env)
    assert "added student 2" in _ok(["students", "add", "--name", "李明", "--class", "初二(5)班"], cli_env)
    bad = _run(["students", "add", "--name", "张三", "--class", "初一(1)班", "--guardian", "张父,父亲,call-me"],
               cli_env)
    assert bad.returncode == 1 and "不是号码" in bad.stderr
    listed = json.loads(_ok(["students", "list", "--json"], cli_env))
    assert [(r["name"], r["class"]) for r in listed] == [("李明", "初二(3)班"), ("李明", "初二(5)班")]  # no 张三
    several = _run(["students", "show", "李明"], cli_env)
    assert several.returncode == 1 and "有几位学生叫李明" in several.stderr
    _ok(["students", "attention", "李明 初二(3)班", "特别关注", "--reason", "自述有轻生念头"], cli_env)
    past = _run(["students", "plan", "1", "--goal", "恢复睡眠", "--review", "2020-01-01"], cli_env)
    assert past.returncode == 1 and "已经过去" in past.stderr
    nobody = _run(["students", "plan", "1", "--goal", "恢复睡眠", "--review", "2099-01-01",
                   "--measure", "每周谈话||2099-01-01"], cli_env)
    assert nobody.returncode == 1 and "没有负责人" in nobody.stderr
    assert "plan version 1" in _ok(["students", "plan", "1", "--goal", "恢复睡眠", "--review", "2099-01-01",
                                    "--measure", "每周谈话|监护人|2099-01-01"], cli_env)
    assert "plan version 2" in _ok(["students", "plan", "1", "--goal", "回到课堂", "--review", "2099-02-01"], cli_env)
    _ok(["institutions", "add", "--name", "市精神卫生中心", "--department", "儿童青少年心理科",
         "--phone", "0371-12345678"], cli_env)
    assert "市精神卫生中心" in _ok(["institutions", "list"], cli_env)
    refused = _run(["students", "refer", "1", "--institution", "市精神卫生中心", "--send"], cli_env)
    assert refused.returncode == 1 and "还没有监护人同意" in refused.stderr
    _ok(["students", "consent", "1", "--guardian", "王芳", "--relation", "母亲", "--how", "书面"], cli_env)
    assert "sent" in _ok(["students", "refer", "1", "--institution", "市精神卫生中心", "--send",
                          "--feedback-due", "2099-01-10"], cli_env)
    _ok(["students", "contact", "1", "--how", "家访", "--summary", "家长同意就医", "--guardian", "王芳"], cli_env)
    shown = json.loads(_ok(["students", "show", "1", "--json"], cli_env))
    kinds = [line["kind"] for line in shown["timeline"]]
    assert shown["attention"] == "special" and shown["plan_version"] == 2
    assert {"attention", "plan", "consent", "referral", "contact"} <= set(kinds) and kinds.count("plan") == 2
    doc_path = tmp_path / "export.md"
    _ok(["students", "export", "1", "--to", str(doc_path)], cli_env)
    doc = doc_path.read_text(encoding="utf-8")
    assert "学生心理成长档案：李明" in doc and "第 1 版" in doc and "家长同意就医" in doc
    before = json.loads(_ok(["students", "counts"], cli_env))
    assert _run(["students", "erase", "1"], cli_env).returncode == 2  # needs --yes
    _ok(["students", "erase", "1", "--yes"], cli_env)
    after = json.loads(_ok(["students", "counts"], cli_env))
    assert after["erased"] == 1 and {k: v for k, v in after.items() if k != "erased"} == \
        {k: v for k, v in before.items() if k != "erased"}
    assert [r["id"] for r in json.loads(_ok(["students", "list", "--json"], cli_env))] == [2]
    gone = _run(["students", "show", "1"], cli_env)
    assert gone.returncode == 1 and "已经删除" in gone.stderr
