"""What staff are pushed about cases (bot/services/crisis/paging.py, digest.py, abuse.py; messaging/page_digest.py).

The lines 来源： and 摘要： of PAGE_TEXT are read back by the page digest: an override keeps them
(MUST_KEEP, checked on load).
"""

from __future__ import annotations

LEVEL_NAMES = {"red": "红色·紧急", "orange": "橙色·今日处理", "yellow": "黄色·关注", "none": "无风险"}
PAGE_TEXT = (
    "{head}【心桥预警 {level_name}】案例 #{case_id}\n"
    "来源：{where}\n"
    "摘要：{excerpt}\n"
    "请尽快处理。回复「收到 {case_id}」（或直接回复「收到」）或点下方按钮确认接手。"
)
FIELD_SOURCE, FIELD_GIST = "来源", "摘要"  # the labelled lines of a page the digest reads back
LABELS = ("FIELD_SOURCE", "FIELD_GIST")
MUST_KEEP = {"paging.PAGE_TEXT": (f"{FIELD_SOURCE}：", f"{FIELD_GIST}：")}
WHERE_NOTE = "匿名心理信箱（对话编号 {code}，回复：回复 {code} 内容）"
WHERE_MAILBOX = "匿名心理信箱"
WHERE_REPORT = "心理委员报告"
WHERE_SUBJECT = "（{subject}）"
FLOOD_LINE = ("注意：同一匿名发送者 {minutes} 分钟内发来多条紧急消息，已并入本案例"
              "（可能反复求助，也可能是恶作剧，请照常处理）。\n")
HEADS = {
    "step": "",
    "repeat": "【第 {round} 次重复提醒：仍无人接手】\n",
    "level_raised": "【案例升级，请立即查看】\n",
    "fallback": "【值班链上没有人收到预警，现通知全体心理教师和危机干预小组】\n",
}
ACK_TIMEOUT_TEXT = (
    "【提醒】你接手的红色案例 #{case_id} 已 {minutes} 分钟没有新的记录或状态变化。\n"
    "请确认学生安全，并用「记录 {case_id} 内容」写下进展。"
)
TAKEN_NOTICE = "案例 #{case_id} 已由 {name} 接手，无需再处理此预警。"

# Several pages for one person on a rate-limited channel, as one message (messaging/page_digest.py).
DIGEST_HEAD = "【心桥预警】{count} 个新的{what}案例：{ids}"
DIGEST_HEAD_NEWS = "【心桥预警】{count} 个{what}案例有新消息：{ids}"  # when a notice to a thread's holder is among them
CONSOLE_LINK = "在工作台查看：{url}"  # the last line of a page or notice to staff, with XINQIAO_PUBLIC_URL set
DIGEST_LINK = "　工作台：{url}"  # under each case of a digest, with XINQIAO_PUBLIC_URL set
DIGEST_NEWS = "新消息"  # the `where` of a notice's line: its gist is the notice's first line (with the thread code)
DIGEST_LINE = "#{case_id} {level}｜{where}｜{gist}"
DIGEST_ACK = "请逐个确认接手：回复{each}（只回复「收到」确认的是最新的一个）。回复「待处理」可看全部待处理的案例。"
DIGEST_WHAT = {"red": "红色", "orange": "橙色"}
DIGEST_URGENT = "紧急"
DIGEST_LEVEL = "预警"
DIGEST_CASE = "案例"

# The daily yellow digest (crisis/digest.py).
YELLOW_HEAD = "【黄色关注·每日汇总】{day}，共 {n} 个需要关注的案例（不紧急，请在工作时间处理）："
YELLOW_LINE = "#{id} · {where} · 已开 {days} 个工作日 · {excerpt}{flag}"
YELLOW_NEW = " · 新"
YELLOW_UNANSWERED = " · ⚠ 超过{n}个工作日未回复"
YELLOW_TAIL = "查看详情：案例 <案例号>；全部待处理：待处理"
YELLOW_WHERE_NOTE = "匿名信箱 编号 {code}"
YELLOW_WHERE_MAILBOX = "匿名信箱"
YELLOW_DAY = "{month}月{day}日"
NO_EXCERPT = "（无描述）"

# Patterns that may be abuse of the mailbox or of reports (crisis/abuse.py), to every counsellor.
NAMED_NOTICE = ("【心桥提示】{days} 天内已有 {n} 封匿名信提到同一名学生「{name}」（最新：案例 #{case_id}）。"
                "可能确有其事，也可能是恶作剧或有人借信箱针对这名同学：请留意，不要只凭匿名信下结论。"
                "这些信仍照常处理，紧急的仍会通知值班老师。")
FALSE_NOTICE = ("【心桥提示】心理委员 {name} 的报告已有 {n} 次结案为误报（false_report，最新：案例 #{case_id}）。"
                "请了解情况：可能需要再培训，也可能有人借报告针对同学。"
                "{name} 今后的报告仍照常处理，紧急的仍会通知值班老师。")
