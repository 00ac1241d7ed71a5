"""Every text of the console in one catalogue (Simplified Chinese). What a student or a paged colleague
receives is the chat's own text, imported here so an action from the console reads exactly as from chat."""

from __future__ import annotations

from bot.texts import counsellor as counsellor_texts
from bot.texts import mailbox as mailbox_texts
from bot.texts.counsellor import OUTCOME_NAMES
from handlers.bind import ROLE_NAMES
from handlers.crisis import closing_text
from handlers.staff_text import STATUS_NAMES

# What a student or a colleague receives is the chat's text, read from its catalogue at call time (a school's
# override applies to the console's actions too).
__all__ = ["ROLE_NAMES", "OUTCOME_NAMES", "STATUS_NAMES", "closing_text", "counsellor_texts", "mailbox_texts"]

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

# ---- Running a school (issue 17): roster import, duty roster, figures for supervision ----
NAV_SCHOOL = {"import": "名单导入", "duty": "值班表", "figures": "督导数据"}
IMPORT_HEAD = "名单导入"
IMPORT_HINT = ("上传 CSV 或 Excel（.xlsx）文件，每种名单一个文件。先预览：会列出将新增、修改、不变的行，"
               "以及每一行有问题的行号和原因；确认无误后再导入，导入在一个事务里完成（有任何错误行就什么都不写入）。"
               "Excel 另存的 GBK 编码 CSV 也可以直接上传。")
IMPORT_KIND = "名单类型"
IMPORT_FILE = "文件（CSV 或 XLSX，最大 {mb} MB）"
IMPORT_PREVIEW = "预览"
IMPORT_APPLY = "确认导入"
IMPORT_TEMPLATES = "下载模板（列名为中文，带示例行）："
IMPORT_BAD_HEAD = "有问题的行（请改好后重新上传）"
IMPORT_ROWS_HEAD = "将要导入的行"
IMPORT_COLUMNS = {"row": "行号", "action": "操作", "key": "名称", "detail": "变化"}
IMPORT_APPLIED = "已导入：{summary}"
IMPORT_NOTHING = "文件里的内容和现在一致，导入不会改变任何东西。"
IMPORT_BLOCKED = "有 {bad} 行有问题，不能导入。请按上面的行号和原因改好文件后重新上传预览。"
IMPORT_ENCODING = "文件编码：{encoding}"
IMPORT_ERRORS = {
    "no_file": "请选择要上传的文件。",
    "empty": "上传的文件是空的。",
    "too_large": "文件太大：最大 {mb} MB。请分成几个文件上传。",
    "kind": "请选择名单类型。",
    "expired": "这次预览已过期或已经导入过。请重新上传文件预览。",
}
DUTY_HEAD = "值班表"
DUTY_HINT = ("每周固定值班和临时调整（请假、考试周）。未来 14 天里无人值班的时段用红色标出"
             "（与 `xinqiao duty check` 相同）。")
DUTY_WEEK = "每周固定值班"
DUTY_DAYS_HEAD = "未来 14 天"
DUTY_NOBODY = "无人值班"
DUTY_NO_GAPS = "未来 14 天每个时段都有人值班。"
DUTY_GAPS = "未来 14 天有 {count} 段无人值班，见下表红色部分。"
DUTY_BACKUP = "备班"
DUTY_OVERRIDE = "临时调整"
DUTY_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
DUTY_DAY_CHOICES = {"mon-fri": "周一至周五", "sat-sun": "周六、周日", "all": "每天",
                    "0": "周一", "1": "周二", "2": "周三", "3": "周四", "4": "周五", "5": "周六", "6": "周日"}
DUTY_SET_HEAD = "设置每周值班"
DUTY_SET_HINT = "结束时间早于开始时间表示跨过午夜；值班人选“无”表示清空这个时段。"
DUTY_OVERRIDE_HEAD = "添加临时调整"
DUTY_OVERRIDE_HINT = "在这些日期里全天由这位老师值班，优先于每周固定值班（最新的调整优先）。"
DUTY_FIELDS = {"days": "星期", "from": "开始", "to": "结束", "person": "值班", "backup": "备班", "note": "原因",
               "first": "第一天", "last": "最后一天", "none": "无"}
DUTY_SAVE = "保存"
DUTY_DONE = {"set": "每周值班已保存。", "override": "临时调整已添加。"}
DUTY_ERRORS = {
    "days": "请选择星期。",
    "time": "时间请写 HH:MM，例如 08:00 或 24:00；开始和结束不能相同。",
    "person": "请选择值班老师（必须是本校的心理老师）。",
    "date": "日期请写 YYYY-MM-DD。",
    "range": "最后一天（{last}）早于第一天（{first}）。",
}
FIGURES_HEAD = "督导数据"
FIGURES_HINT = "本页和导出文件里都不含姓名；细分到年级、班级或角色时，小于 3 的数显示为“<3”。"
FIGURES_KIND = {"term": "本学期", "month": "本月"}
FIGURES_FROM = "从"
FIGURES_TO = "到"
FIGURES_SHOW = "查看"
FIGURES_DOWNLOAD = "下载："
FIGURES_PERIOD = "{school} · {label}（{period}）"
FIGURES_CHART_SOURCE = "报告数量：按来源和级别"
FIGURES_CHART_CLOSED = "结案：按结果"
DOCTOR_HEAD = "学校准备情况检查"
DOCTOR_HINT = "与 `xinqiao doctor` 相同的检查：绿色正常，红色请按提示处理。"
DOCTOR_FIX = "怎么办："
DOCTOR_CONFIRM_HEAD = "确认密钥已备份"
DOCTOR_CONFIRM_HINT = ("服务器密钥在数据目录的 secret.key。请先把它复制到离线的安全位置（不要和数据库备份放在一起），"
                       "再点下面的按钮确认（会写入审计记录）。")
DOCTOR_CONFIRM = "我已把密钥另外备份"
DOCTOR_CONFIRMED = "已记录：密钥已备份。"
DOCTOR_NO_PROBE = "这里无法检查消息渠道，请在服务器上运行 xinqiao doctor"
INVITES_HEAD = "邀请码与打印页"
INVITES_HINT = ("为所有还没有邀请码、也还没有绑定的心理委员和教职工一次生成邀请码（有效期 {days} 天），"
                "再打开打印页，每人一张卡片：姓名、班级、邀请码、二维码和微信绑定步骤。已绑定的人会标出。")
INVITES_COUNTS = "共 {total} 人：已绑定 {bound}，有有效邀请码 {coded}，还没有邀请码 {missing}。"
INVITES_ISSUE = "为还没有邀请码的人生成邀请码"
INVITES_ISSUED = "已生成 {count} 个邀请码。"
INVITES_SHEET = "打开打印页"
INVITES_REISSUED = "已为{name}重新生成邀请码，旧的邀请码已失效：请重新打印这张邀请卡。"
INVITES_UNKNOWN = "没有找到这位心理委员或教职工。"
INVITES_PEOPLE = ("姓名", "状态", "")
INVITES_BOUND = "已绑定"
INVITES_UNTIL = "邀请码有效至 {day}"
INVITES_NONE = "还没有有效的邀请码"
INVITES_REISSUE = "重新生成邀请码"
NAV_SCHOOL.update({"doctor": "准备检查", "invites": "邀请码"})
TRAINING_HEAD = "培训"
TRAINING_HINT = ("添加培训后，系统按设定提前提醒对象里的每位心理委员；取消会撤回未发的提醒并通知大家。"
                 "培训开始后在这里记出席。")
TRAINING_COLUMNS = {"when": "时间", "title": "主题", "where": "地点或链接", "audience": "对象", "state": "状态",
                    "count": "出席/应到", "actions": "操作"}
TRAINING_AUDIENCES = {"all": "全部心理委员", "class": "班级心理委员", "dorm": "寝室心理委员"}
TRAINING_STATES = {"scheduled": "已安排", "cancelled": "已取消"}
TRAINING_FIELDS = {"title": "主题", "when": "开始时间", "place": "地点", "link": "线上链接（没有地点时填）",
                   "audience": "对象", "remind": "提前提醒（如 24h,1h）"}
TRAINING_ADD = "添加培训"
TRAINING_CANCEL = "取消这场培训"
TRAINING_ATTENDANCE = "记出席"
TRAINING_SAVE = "保存出席"
TRAINING_NOT_TAKEN = "未记录"
TRAINING_DONE = {"add": "培训已添加，提醒已安排。", "cancel": "培训已取消，已通知对象。", "attendance": "出席已保存。"}
TRAINING_ERRORS = {
    "title": "请填写主题。",
    "when": "开始时间请写 YYYY-MM-DD HH:MM（学校时间）。",
    "where": "请填写地点或线上链接。",
    "future": "培训必须在将来开始。",
    "remind": "提前提醒请写成 24h,1h 这样的形式。",
    "audience": "请选择对象。",
    "cancelled": "这场培训已经取消了。",
    "not_started": "培训还没有开始，开始后才能记出席。",
    "unknown": "没有这场培训。",
}
NAV_SCHOOL["training"] = "培训"

# ---- Students' files (学生档案, issue 16): the list, a file, its forms, 我的任务, the queue's overdue section ----
NAV_STUDENTS, NAV_TASKS = "学生档案", "我的任务"
STUDENTS_HEAD = "学生档案"
STUDENTS_SEARCH = {"name": "姓名", "class": "班级", "apply": "查找", "reset": "清除"}
STUDENTS_COLUMNS = {"name": "姓名", "class": "班级", "number": "学号", "attention": "关注等级"}
STUDENTS_EMPTY = "没有找到学生。名单由管理员导入（xinqiao roster import，或工作台的名单页面）。"
STUDENT_TITLE = "学生档案：{name}"
STUDENT_HEADER = {"class": "班级", "dorm": "寝室", "number": "学号", "attention": "关注等级", "reason": "理由",
                  "guardians": "监护人"}
ATTENTION_NONE = "未设置"
STUDENT_PLAN_HEAD = "一生一策计划"
STUDENT_PLAN_NONE = "还没有计划。"
STUDENT_PLAN_VERSION = "第 {version} 版（{day} 写）"
STUDENT_PLAN_GOALS, STUDENT_PLAN_MEASURES, STUDENT_PLAN_REVIEW = "目标", "措施", "复查日期"
STUDENT_PLAN_EARLIER = "以前的版本"
STUDENT_MEASURE = "{text} — 负责：{who}，{day} 前"
STUDENT_MEASURE_DONE = "已完成"
STUDENT_GUARDIAN = "监护人"
STUDENT_DUE_HEAD = "待办（按日期）"
STUDENT_DUE_NONE = "没有待办。"
STUDENT_CASES_HEAD = "关联的案例"
STUDENT_CASES_NONE = "还没有关联的案例。"
STUDENT_REFERRALS_HEAD = "转介"
STUDENT_REFERRALS_NONE = "没有转介记录。"
REFERRAL_STATE_NAMES = {"planned": "准备中", "sent": "已送出", "returned": "已返校评估"}
REFERRAL_LINE = "转介 #{id}：{institution}，{state}"
REFERRAL_CONSENT = {True: "已有监护人同意", False: "还没有监护人同意"}
STUDENT_TIMELINE_HEAD = "档案时间线（{zone}）"
STUDENT_TIMELINE_NONE = "还没有记录。"
STUDENT_FORMS_HEAD = "记录与修改"
STUDENT_FORMS = {
    "attention": "设置关注等级", "plan": "写计划 / 修订计划", "review": "计划已复查（不修改）", "assess": "记录评估",
    "consent": "记录监护人同意", "referral": "建立转介", "send": "标记转介已送出", "feedback": "记录机构反馈",
    "contact": "记录家校联系", "link": "关联案例", "unlink": "取消关联", "done": "标记完成",
}
STUDENT_FIELDS = {
    "level": "等级", "reason": "理由（必填，会记录下来）", "goals": "目标（每行一个）", "review_on": "复查日期",
    "m_text": "措施", "m_who": "负责人", "m_due": "完成日期", "case": "案例",
    "participants": "参加评估的人（用顿号或逗号分开）",
    "risk": "风险等级", "recommendation": "建议", "reasons": "理由", "held_at": "评估时间（不填为现在）",
    "open_referral": "建议转介或危机干预时，同时建立转介记录", "guardian": "监护人姓名", "relation": "关系（如 母亲）",
    "given_at": "同意时间（不填为现在）", "how": "方式", "note": "备注", "institution": "机构",
    "visit_on": "就诊日期", "feedback_due_on": "反馈截止日期",
    "emergency_reason": "紧急转介的理由（没有监护人同意时必填：110/120，或联系不上监护人而生命有危险）",
    "feedback": "机构反馈（摘要）", "summary": "谈了什么", "at": "时间（不填为现在）", "next_step": "下一步",
    "next_on": "下一步日期", "student": "学生", "any_case": "不针对某个案例", "referral": "转介编号",
}
STUDENT_NO_INSTITUTIONS = "学校还没有转介机构名单：请先在「转介机构名单」页面添加。"
STUDENT_DONE = {"attention": "关注等级已更改，理由已记录。", "plan": "计划已保存（以前的版本仍可查看）。",
                "review": "已记录复查。", "assess": "评估已记录。", "consent": "监护人同意已记录。",
                "referral": "转介记录已建立。", "send": "转介已标记为送出。", "feedback": "机构反馈已记录。",
                "contact": "家校联系已记录。", "link": "案例已关联到学生档案。", "unlink": "已取消关联。",
                "measure": "措施已标记完成。", "return": "返校评估已记录。"}
STUDENT_FORM_ERRORS = {
    "date": "请填写正确的{field}。", "number": "请填写正确的{field}（数字）。", "case": "请选择案例。",
    "measure_due": "措施「{text}」要写完成日期。", "institution": "请从学校的名单里选择机构。",
    "not_their_case": "案例 #{case_id} 没有关联到这个学生。", "student": "请选择学生。",
    "return_no_case": "这个转介没有关联案例：返校评估要记录在案例上，请先在建立转介时选择案例。",
    "return_state": "只有已送出、还没有返校评估的转介才能记录返校评估。",
}
STUDENT_RETURN = {"head": "记录返校评估（转介 #{id}）", "pending": "待返校评估"}
INSTITUTIONS_HEAD = "转介机构名单"
INSTITUTIONS_HINT = "学校转介学生时使用的医院和诊所（精神科或心理科）及其电话。添加会记入审计日志。"
INSTITUTIONS_EMPTY = "还没有机构。"
INSTITUTIONS_COLUMNS = {"id": "编号", "name": "机构名称", "department": "科室", "phone": "电话"}
INSTITUTIONS_ADD = "添加机构"
INSTITUTION_FIELDS = {"name": "机构名称（如 市精神卫生中心）", "department": "科室（如 儿童青少年精神科）",
                      "phone": "电话（数字，可以带 + 和 -）"}
INSTITUTION_DONE = "机构已添加。"
INSTITUTION_ERRORS = {"name": "请写机构名称（1-200个字）。",
                      "phone": "电话「{phone}」不是号码：请只写数字（可以带 + 和 -），7到15位。"}
TIMELINE_KINDS = {
    "case_opened": "开案 #{case_id}", "case_closed": "案例 #{case_id} 结案", "follow_up_due": "案例 #{case_id} 待跟进",
    "case_follow_up_set": "案例 #{case_id} 约定跟进", "case_note": "案例 #{case_id} 处理记录",
    "attention": "关注等级", "case_linked": "关联案例 #{case_id}", "case_unlinked": "取消关联案例 #{case_id}",
    "identity_told": "学生本人在对话里告诉了老师自己是谁（案例 #{case_id}）", "plan": "计划第 {version} 版",
    "assessment": "评估（案例 #{case_id}）", "consent": "监护人同意", "referral": "转介 #{referral_id}",
    "referral_feedback": "转介 #{referral_id} 机构反馈", "contact": "家校联系",
    "measure_due": "措施到期", "review_due": "计划复查", "feedback_due": "转介 #{referral_id} 反馈截止",
}
TASKS_HEAD = "我的任务"
TASKS_HINT = "学生一生一策计划里由你负责的措施。做完后请标记完成，提醒会撤回。"
TASKS_EMPTY = "目前没有你负责的措施。"
TASKS_COLUMNS = {"student": "学生", "measure": "措施", "due": "完成日期", "action": "操作"}
TASKS_OVERDUE = "已逾期"
OVERDUE_HEAD = "档案逾期事项"
OVERDUE_KINDS = {"measure": "措施 #{ref} 逾期", "review": "计划复查逾期", "feedback": "转介 #{ref} 反馈逾期"}
OVERDUE_LINE = "{name}：{what}（应于 {day}）"
CASE_STUDENT_HEAD = "案例 #{id} 的学生档案"
CASE_STUDENT_NOW = "现在关联的学生：{who}"
CASE_STUDENT_NONE = "还没有关联学生。"
CASE_STUDENT_MAILBOX = "匿名来信不能由老师关联到学生：只有学生本人可以在对话里选择告诉老师自己是谁。"
CASE_STUDENT_SEARCH = "按姓名查找学生"
CASE_STUDENT_LINK = "关联学生档案 / 取消关联"
# ---- end of the students' files section ----

# ---- Schedules in the console (issue 17 item 3): escalation policies, key periods, the weekly check-in rule ----
NAV_SCHEDULES = {"policies": "预警策略", "periods": "重点时期", "checkins": "每周报告规则"}
SCHEDULES_DONE = {"policy": "预警策略已保存：从现在起新开的案例按新策略通知（正在进行的通知链不变）。",
                  "period_add": "重点时期已添加。", "period_remove": "重点时期已删除。",
                  "checkins": "每周报告规则已保存。"}
SCHEDULES_READ_ONLY = "只有系统管理员可以修改；如需调整请联系管理员。"
POLICY_HEAD = "预警策略"
POLICY_HINT = ("红色和橙色预警会按下面的步骤依次通知老师，直到有人确认；"
               "每一步通知后等待所写的时间，没人确认再通知下一步。"
               "红色在最后一步之后还会按“重复间隔”再次通知所有人。修改只影响之后新开的案例。")
POLICY_LEVELS = {"red": "红色预警", "orange": "橙色预警"}
POLICY_COLUMNS = {"step": "步骤", "target": "通知对象", "wait": "之后等待", "repeat": "重复间隔"}
POLICY_TARGETS = {"on_duty": "值班老师", "backup": "备班老师", "leaders": "分管领导", "head_teacher": "班主任"}
POLICY_NO_REPEAT = "不重复"
POLICY_FIELDS = {"steps": "步骤（对象:等待时间，用逗号分开）", "repeat": "重复间隔（如 10m，不填为不重复）"}
POLICY_FORMAT = ("对象可写 on_duty（值班老师）、backup（备班老师）、leaders（分管领导）、"
                 "head_teacher（班主任）或本校一位老师的姓名；"
                 "等待时间写数字加 s（秒）、m（分钟）或 h（小时），例如 on_duty:5m,backup:5m,leaders:10m。")
POLICY_SAVE = "保存{level}策略"
POLICY_ERRORS = {
    "level": "只有红色和橙色预警有通知策略。",
    "steps": "请至少写一个步骤，例如 on_duty:5m。",
    "step": "步骤“{value}”要写成 对象:等待时间，例如 on_duty:5m。",
    "wait": "等待时间“{value}”要写成大于 0 的数字加 s、m 或 h，例如 30s、5m、2h。",
    "target": "通知对象“{value}”既不是 on_duty、backup、leaders、head_teacher，也不是本校老师的姓名。",
}
PERIOD_HEAD = "重点时期"
PERIOD_HINT = ("考试周、假期后返校、突发事件后等重点时期：在这些日期里，"
               "每周报告按这个时期自己的时间询问（不填则仍按每周规则），"
               "询问时会说明原因。名称含“假”或“节”的时期视为假期。")
PERIOD_COLUMNS = {"name": "名称", "from": "第一天", "to": "最后一天", "checkin": "报告时间", "actions": "操作"}
PERIOD_WEEKLY = "按每周规则"
PERIOD_NONE = "还没有重点时期。"
PERIOD_REMOVE = "删除"
PERIOD_ADD = "添加重点时期"
PERIOD_FIELDS = {"name": "名称（如 期末考试周）", "from": "第一天（YYYY-MM-DD）", "to": "最后一天（含当天）",
                 "checkin": "这段时间的报告时间（如 Mon,Wed,Fri 16:00，可不填）"}
PERIOD_ERRORS = {
    "name": "请填写名称。",
    "date": "日期请写 YYYY-MM-DD，例如 2027-01-10。",
    "range": "最后一天（{last}）早于第一天（{first}）。",
    "checkin": "报告时间要写成 星期 时间，例如 Fri 16:00 或 Mon,Wed,Fri 16:00（星期用 Mon Tue Wed Thu Fri Sat Sun）。",
}
CHECKIN_RULE_HEAD = "每周报告规则"
CHECKIN_RULE_HINT = ("每周按“询问时间”请每位心理委员报告（零报告也要报）；到“截止时间”还没报告的会再提醒一次；"
                     "再过“宽限”小时仍没有报告的，名单会发给心理老师。重点时期按那个时期自己的时间。")
CHECKIN_RULE_FIELDS = {"ask": "询问时间（如 Fri 16:00）", "deadline": "截止时间（如 Sun 20:00）",
                       "grace": "提醒后宽限（小时）"}
CHECKIN_RULE_NOW = "现在的规则：{ask} 询问，{deadline} 截止，提醒后 {grace} 小时把没报告的名单发给心理老师。"
CHECKIN_RULE_SAVE = "保存规则"
CHECKIN_RULE_ERRORS = {
    "schedule": ("询问和截止时间要写成 星期 时间，例如 Fri 16:00 或 Mon,Wed,Fri 16:00"
                 "（星期用 Mon Tue Wed Thu Fri Sat Sun）。"),
    "grace": "宽限请写 {low} 到 {high} 之间的整数（小时）。",
}
# ---- end of the schedules section ----
