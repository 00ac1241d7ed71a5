"""The counsellor console's texts (Simplified Chinese): sign-in, the queue, a case, history, the admin's page.

Read through bot.console.texts (a view over every console catalogue), as T.NAME at call time, so a
school's texts.toml overrides apply."""

from __future__ import annotations

TITLE = "心桥 · 心理老师工作台"
LEVEL_NAMES = {"red": "红色·紧急", "orange": "橙色·今日处理", "yellow": "黄色·关注", "none": "无风险"}
LEVEL_SHORT = {"red": "红", "orange": "橙", "yellow": "黄", "none": "无"}
SOURCE_MAILBOX = "匿名信箱"
GROUP_KINDS = {"class": "班级", "dorm": "寝室"}
CATEGORY_NAMES = {
    "suicide": "自杀风险", "self_harm": "自伤", "violence": "暴力", "abuse": "虐待", "sexual": "性伤害",
    "bullying": "欺凌", "family": "家庭", "loss": "丧失", "disaster": "灾害", "distress": "情绪困扰", "none": "无",
}
NAV = {"queue": "待处理", "history": "已结案", "audit": "审计记录", "people": "人员与账户", "security": "账户安全",
       "signout": "退出"}

# Sign-in, passwords, second factor
SIGNIN_HEAD = "登录"
NAME = "姓名"
PASSWORD = "密码"
PASSWORD_AGAIN = "再输入一次密码"
CODE = "验证码（6 位数字）"
SIGNIN = "登录"
SIGNIN_ERRORS = {
    "wrong": "姓名或密码不对。",
    "locked": "连续输错 5 次，账户已锁定 15 分钟。请稍后再试，或联系管理员。",
    "code": "验证码不对或已用过，请看身份验证器里的最新验证码。",
    "not_staff": "只有老师和管理员可以登录工作台。",
}
SIGNED_OUT = "你已退出登录。"
EXPIRED = "登录已过期（30 分钟没有操作，或已超过 12 小时），请重新登录。"
PASSWORD_HEAD = "设置密码"
PASSWORD_FOR = "为 {name} 设置工作台密码。密码至少 {min} 个字符。"
PASSWORD_SAVE = "保存密码"
PASSWORD_ERRORS = {
    "link": "这个链接无效或已过期。请让管理员重新生成（xinqiao user set-password 姓名）。",
    "short": "密码太短：至少 {min} 个字符。",
    "long": "密码太长：最多 {max} 个字符。",
    "mismatch": "两次输入的密码不一样。",
}
PASSWORD_DONE = "密码已保存，其他已登录的浏览器都已退出。请用新密码登录。"
TOTP_HEAD = "两步验证"
TOTP_ASK = "请输入身份验证器（如微信小程序「腾讯身份验证器」、Google Authenticator）里的 6 位验证码。"
TOTP_CHECK = "验证"
ENROL_HEAD = "开启两步验证"
ENROL_REQUIRED = "学校要求危机干预小组负责人和管理员开启两步验证，开启后才能继续使用工作台。"
ENROL_STEPS = "用身份验证器扫描二维码（或手动输入密钥），再输入它显示的 6 位验证码。"
ENROL_SECRET = "密钥"
ENROL_ON = "开启"
ENROL_DONE = "两步验证已开启。以后登录时需要输入验证码。"
SECURITY_HEAD = "账户安全"
SECURITY_TOTP_ON = "两步验证：已开启。"
SECURITY_TOTP_OFF = "两步验证：未开启。"
SECURITY_ENROL = "开启两步验证"

# The queue
QUEUE_HEAD = "待处理案例"
QUEUE_EMPTY = "目前没有待处理的案例。"
QUEUE_LIVE = "列表每几秒自动更新。"
NEW_RED_TITLE = "【新红色案例】"
COLUMNS = {"id": "案例", "level": "级别", "status": "状态", "source": "来源", "holder": "负责", "waiting": "未接手",
           "step": "预警", "follow_up": "跟进", "opened": "开案", "excerpt": "摘要"}
NOT_HELD = "未接手"
LATE = "LATE"
LATE_TITLE = "预警曾晚于计划发出"
FILTER = {"level": "级别", "status": "状态", "holder": "负责人", "group": "班级/寝室", "category": "类别",
          "since": "开案从", "until": "到", "search": "案例号或对话编号", "apply": "筛选", "any": "全部",
          "nobody": "未接手", "outcome": "结果", "text": "案例号、编号或文字", "reset": "清除"}
FOLLOW_UP = {"due": "今天跟进", "overdue": "跟进逾期", "next": "下次跟进 {day}"}
FOLLOW_UP_CONFIRM = "{day}是{why}，不是上学的日子。确定在这天跟进吗？确定请点「仍然安排」，或换一天再提交。"
FOLLOW_UP_ANYWAY = "仍然安排"

# A case
CASE_TITLE = "案例 #{id}"
HEADER = {"level": "级别", "status": "状态", "holder": "负责", "source": "来源", "subject": "学生（报告人所写）",
          "opened": "开案", "follow_up": "下次跟进", "outcome": "结果", "closed": "结案"}
REPORTS_HEAD = "报告与来信"
REPORT_BY_MEMBER = "{roles} {name}（{group}）报告"
REPORT_BY = "{roles} {name} 报告"
REPORT_ANON = "匿名来信"
SIGNS = "看到的情况"
EVIDENCE_NOTE = "高亮部分是分级依据（关键词和规则）。"
THREAD_HEAD = "匿名对话 {code}"
THREAD_AUTHORS = {"student": "学生", "counsellor": "老师", "bot": "结案消息"}
THREAD_NO_PUSH = "学生选择了不接收通知：他们发送「查看 {code}」时会看到回复。"
THREAD_CLOSED = "对话已结束。"
TIMELINE_HEAD = "时间线（{zone}）"
EARLIER_HEAD = "这名学生之前的案例"
EARLIER_NONE = "没有同名同班的其他案例。"
ACTIONS_HEAD = "处理"
ACTIONS = {
    "ack": "确认接手（收到）", "note": "写处理记录", "reply": "回复学生", "follow_up": "约定跟进日期",
    "status": "更改状态", "level": "更改级别", "assign": "转给其他老师", "share": "与班主任共享",
    "duplicate": "标记为重复案例", "close": "结案",
}
FIELDS = {"text": "内容", "date": "跟进日期", "status": "新状态", "level": "新级别",
          "reason": "原因（必填，会记录下来）", "assignee": "转给", "head_teacher": "班主任",
          "other": "与哪个案例重复（案例号）", "outcome": "结案结果", "close_text": "说明（可不填）"}
SUBMIT = "提交"
DONE_SHORT = {"ack": "已确认接手。", "note": "已记录。", "reply": "已回复学生。", "follow_up": "已约定跟进。",
              "status": "状态已更改。", "level": "级别已更改，原因已记录。", "assign": "已转交，已通知对方。",
              "share": "已与班主任共享。", "duplicate": "已标记为重复案例并结案。", "close": "案例已结案。"}
ASSIGNED_PAGE = "【心桥】{name} 把案例 #{case_id} 转给了你，请查看并跟进。"
SHARED_NOTICE = "【心桥】{name} 与你共享了案例 #{case_id}，可在「班级案例」或工作台查看进展。"
ACTION_ERRORS = {
    "unknown": "没有找到这个案例。", "closed": "案例已经结案。", "outcome": "请选择结案结果。",
    "past": "跟进日期不能早于今天。", "date": "请选择跟进日期。", "level": "请选择级别。",
    "reason": "请写更改级别的原因（最多 500 字）。", "same_level": "级别没有变化。", "status": "请选择状态。",
    "unacknowledged": "请先确认接手，再更改状态。", "assignee": "只能转给本校的心理老师或危机干预小组成员。",
    "same_holder": "这位老师已经是负责人。", "anonymous": "匿名来信不能与班主任共享。",
    "head_teacher": "请选择本校的班主任。", "shared": "已经与这位班主任共享过。", "self": "不能标记为自己的重复。",
    "other": "没有找到那个案例。", "thread": "这个案例没有可以回复的匿名对话（或对话已结束）。",
    "empty": "请填写内容。", "too_long": "内容太长：最多 {max} 个字符。",
    "no_referral": ("这个案例还没有转介记录，不能以「已转介」结案。请先记录监护人同意并建立转介记录"
                    "（匿名来信需要学生本人先在对话里选择告诉老师自己是谁）。"),
}

# History and audit
HISTORY_HEAD = "已结案案例"
HISTORY_EMPTY = "没有符合条件的已结案案例。"
AUDIT_HEAD = "审计记录"
AUDIT_COLUMNS = {"at": "时间", "actor": "操作人", "action": "操作", "target": "对象", "address": "地址"}
AUDIT_FILTER = {"since": "从", "person": "操作人", "case": "案例号"}
AUDIT_EMPTY = "没有记录。"
EXPORT = "导出 CSV"

# The admin's page
PEOPLE_HEAD = "人员与账户"
PEOPLE_HINT = "为老师生成一次性设置密码链接（24 小时内有效，只显示一次），或让某人在所有浏览器退出登录。"
PEOPLE_COLUMNS = {"name": "姓名", "roles": "身份", "password": "密码", "totp": "两步验证", "sessions": "在线会话",
                  "actions": "操作"}
PEOPLE_SET, PEOPLE_UNSET, PEOPLE_LOCKED = "已设置", "未设置", "已锁定"
PEOPLE_ON, PEOPLE_OFF = "已开启", "未开启"
PEOPLE_LINK, PEOPLE_REVOKE = "生成设置密码链接", "全部退出登录"
LINK_HEAD = "一次性设置密码链接"
LINK_FOR = "请把下面的链接只发给 {name} 本人。它 24 小时内有效，用过一次就失效；生成新链接后旧链接失效。"
LINK_HINT = "设置新密码后，这个人已登录的浏览器都会退出。"

# Refusals
ERRORS = {
    "bad": ("请求有误", "提交的内容不完整或格式不对。"),
    "forbidden": ("没有权限", "你没有查看或处理这项内容的权限。如需查看，请联系负责的心理老师。"),
    "unknown": ("没有找到", "没有这个页面或案例。"),
    "method": ("不支持的操作", "这个地址不接受这种请求。"),
    "too_large": ("内容太长", "提交的内容太长。"),
    "media": ("格式不对", "请通过页面上的表单提交。"),
    "csrf": ("页面已过期", "表单已失效（可能是打开太久或在别的窗口退出了登录）。请刷新页面后重试。"),
    "busy": ("系统暂时繁忙", "请稍后再试；如有紧急危险请拨打110/120或12356。"),
}
BACK = "返回待处理"
