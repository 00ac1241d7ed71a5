"""What the school admin reads in the roster import, the invite sheet, the supervision figures and the
doctor: one catalogue for these flows (the console renders the same strings). Simplified Chinese."""

from __future__ import annotations

# The names in the figures for supervision are fixed (not overridable): a supervisor compares the
# figures of several terms and schools, which must name their rows and columns the same way.
LABELS = ("KIND_NAMES", "CATEGORY_NAMES", "LEVEL_NAMES", "MAILBOX_ROW", "NO_GRADE", "NO_GROUP", "OUTCOME_NAMES",
          "SCHOOL", "SOURCE_NAMES", "TOTAL", "AUDIENCE_NAMES", "ATTENDANCE_SPREAD")

# --- roster import: the file ---
NOT_A_TABLE = "{name}：只能导入 CSV（.csv）或 Excel（.xlsx）文件"
OLD_XLS = "{name}：这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 或 CSV（逗号分隔）后再导入"
NOT_XLSX = "{name}：文件扩展名是 .xlsx，但内容不是 Excel 工作簿（文件可能已损坏，或只是改了扩展名）"
BINARY_CSV = "{name}：文件扩展名是 .csv，但内容不是文本（可能是 Excel 工作簿改了扩展名：请改回 .xlsx）"
BAD_ENCODING = ("{name}：无法识别文件编码（既不是 UTF-8，也不是 GBK/GB18030）。请在 Excel 中“另存为”"
                "“CSV UTF-8（逗号分隔）”后再导入")
EMPTY_FILE = "{name}：文件是空的"
NO_ROWS = "{name}：只有表头，没有数据行"
TOO_MANY_ROWS = "{name}：数据行超过 {limit} 行（共 {count} 行），请分成几个文件导入"
MISSING_COLUMNS = ("{name}：缺少必填列 {missing}（第 {row} 行是表头：{found}）。"
                   "请用 `xinqiao roster template {kind}` 下载模板")
UNKNOWN_KIND = "未知的导入类型 {kind!r}：可选 {kinds}"
HAS_BAD_ROWS = "有 {count} 行有问题，未导入任何内容：请改正后重新导入（先用 --dry-run 预览）"

# --- roster import: a row ---
ROW_FORMULA = "{column} 是公式（{value}）：请粘贴为数值后再导入"
ROW_MISSING = "缺少{column}"
ROW_DUPLICATE = "与第 {row} 行重复（{column}相同）"
ROW_UNKNOWN_GROUP = "未知的班级或寝室 {name!r}：请先导入班级和寝室"
ROW_BAD_KIND = "类型 {value!r} 无法识别：写“班级”或“寝室”"
ROW_BAD_GRADE = "年级 {value!r} 无法识别：写 1-12，或 初一、高二、三年级"
ROW_BAD_PHONE = "手机 {value!r} 不是电话号码：写 11 位手机号（如 13812345678）或带区号的座机（如 0371-12345678）"
ROW_BAD_ROLE = "角色 {value!r} 无法识别：可写 {choices}"
ROW_NO_STAFF_ROLE = "教职工至少要有一个角色：{choices}"
ROW_ROLE_GROUP = "角色 {role} 与{group}的类型（{kind}）不符"
ROW_HEAD_TWICE = "班主任 {name} 在第 {row} 行已是另一个班的班主任（一位班主任对应一个班）"
ROW_HEAD_IS_MEMBER = "班主任 {name} 与一位心理委员同名：请写全名以区分"
ROW_MEMBER_IS_STAFF = "{name} 与一位教职工同名：请写全名以区分（姓名在本校须唯一）"
ROW_TOO_LONG = "{column}太长（最多 {limit} 个字）"
ROW_UNKNOWN_CLASS = "未知的班级 {name!r}：请先导入班级和寝室"
ROW_UNKNOWN_DORM = "未知的寝室 {name!r}：请先导入班级和寝室"
ROW_UNKNOWN_TEACHER = "找不到班主任 {name!r}：请先导入教职工（姓名须与教职工名单一致）"
ROW_SAME_STUDENT = "与第 {row} 行是同一班的同名学生：请写学号以区分"
ROW_GUARDIAN = "监护人{n}：{reason}"

ACTIONS = {"add": "新增", "change": "修改", "same": "不变"}
SUMMARY = "{kind_title}：共 {rows} 行；新增 {added}，修改 {changed}，不变 {unchanged}，有问题 {bad}"
ROW_LINE = "第 {row} 行 {action}：{key}{detail}"
BAD_LINE = "第 {row} 行 有问题：{reason}"
APPLIED = "已导入（一个事务）：新增 {added}，修改 {changed}，不变 {unchanged}"
DRY_RUN = "预览（--dry-run）：未写入任何内容"

KIND_NAMES = {"class": "班级", "dorm": "寝室"}
ROLE_WORDS = {
    "member_class": "班级心理委员", "member_dorm": "寝室心理委员", "counsellor": "心理老师",
    "leader": "危机干预小组负责人", "head_teacher": "班主任", "admin": "管理员",
}

# --- invites and the printable sheet ---
SHEET_TITLE = "{school} 心桥绑定邀请卡"
SHEET_INTRO = "每人一张，剪开后发给本人。邀请码只能用一次，生成后 {days} 天内有效；丢失或过期请找心理老师重新生成。"
CARD_CODE = "邀请码"
CARD_EXPIRES = "有效期至 {date}"
CARD_BOUND = "已绑定"
CARD_NO_CODE = "还没有有效的邀请码：请运行 xinqiao invite issue"
STEPS_WECHAT_QR = ("用微信“扫一扫”扫描二维码，关注“{school}”心理服务号，即可自动绑定。",
                   "如果没有自动绑定：在服务号里发送“绑定 {code}”。",
                   "绑定成功后，发送“菜单”查看可以做的事。")
STEPS_TEXT_QR = ("在微信里关注学校的心理服务号（或打开学校告知的其他渠道）。",
                 "发送“绑定 {code}”（也可以扫描二维码，复制其中的文字发送）。",
                 "绑定成功后，发送“菜单”查看可以做的事。")
STAFF_NOTE = "教职工请在企业微信或 Telegram 中发送“绑定 {code}”。"
ISSUED = "已生成 {count} 个邀请码（{days} 天内有效）"
REISSUED = "已为 {name} 重新生成邀请码 {code}（旧的未用邀请码已作废，{days} 天内有效）"
NOTHING_TO_ISSUE = "每位心理委员和教职工都已绑定或已有有效的邀请码"
SHEET_WRITTEN = "邀请卡已写入 {path}：{cards} 张（已绑定 {bound}，待绑定 {waiting}，没有邀请码 {missing}）"
QR_FAILED = "微信二维码生成失败（{error}）：这张卡改用文字二维码“绑定 {code}”"

# --- doctor ---
DOCTOR_OK = "✓"
DOCTOR_BAD = "✗"
DR_CHANNELS = "消息渠道"
DR_CHANNEL_OK = "{names} 已配置且可以连通"
DR_NO_CHANNEL = "没有配置任何消息渠道：心理委员和学生无法联系心桥"
DR_NO_CHANNEL_FIX = "配置微信服务号（XINQIAO_WECHAT_*）、企业微信（XINQIAO_WECOM_*）或 Telegram（XINQIAO_TELEGRAM_*）"
DR_CHANNEL_DOWN = "{name} 已配置但连不上：{detail}"
DR_CHANNEL_DOWN_FIX = "检查 AppID/Secret、服务器的 IP 白名单和网络；企业微信检查可信 IP"
DR_NO_STAFF_CHANNEL = "没有配置企业微信或 Telegram：预警只能送到网页聊天，老师收不到"
DR_NO_STAFF_CHANNEL_FIX = "配置企业微信自建应用（XINQIAO_WECOM_*）或 Telegram（XINQIAO_TELEGRAM_TOKEN）"
DR_DUTY = "值班表"
DR_DUTY_OK = "未来 {days} 天每个时段都有人值班"
DR_DUTY_GAPS = "未来 {days} 天有 {count} 段无人值班，最早一段：{first}"
DR_DUTY_FIX = "用 xinqiao duty set / duty override 排满（xinqiao duty check 列出每一段）"
DR_CLASSES = "班级心理委员"
DR_CLASSES_OK = "{count} 个班级和寝室都有已绑定的心理委员"
DR_NO_CLASSES = "还没有导入班级和寝室"
DR_NO_CLASSES_FIX = "xinqiao roster import 班级.xlsx --kind classes，然后导入心理委员（--kind members）"
DR_CLASSES_MISSING = "{count} 个班级或寝室没有已绑定的心理委员：{names}"
DR_CLASSES_FIX = "xinqiao invite issue 生成邀请码，xinqiao invite sheet --out 邀请卡.html 打印发给心理委员"
DR_NUMBERS = "危机求助电话"
DR_NUMBERS_OK = "全国心理援助热线 {hotline}，紧急电话 {emergency}，学校心理老师 {school}"
DR_NUMBERS_BAD = "{what} 未设置"
DR_NUMBERS_DEFAULT = "学校心理老师的联系方式还是默认值（{value}）"
DR_NUMBERS_FIX = ("设置 XINQIAO_HOTLINE、XINQIAO_EMERGENCY_NUMBERS 和 "
                  "XINQIAO_SCHOOL_COUNSELLOR_PHONE（学校心理老师的电话）")
DR_KEY = "密钥备份"
DR_KEY_OK = "管理员已于 {when} 确认密钥已另外备份"
DR_KEY_NEVER = "还没有确认密钥（{where}）已另外备份：丢了它，匿名来信的回复地址和会话数据都无法读取"
DR_KEY_CHANGED = "密钥在 {when} 确认备份后已经换过，新的密钥还没有确认备份"
DR_KEY_FIX = "把密钥复制到离线的安全位置（不要和数据库备份放在一起），然后运行 xinqiao doctor confirm-key-backup"
DR_KEY_CONFIRMED = "已记录：密钥已备份（{when}，已写入审计记录）"
DR_BACKUP = "数据库备份"
DR_BACKUP_OK = "最近一次备份 {when}（{name}）"
DR_BACKUP_NONE = "{where} 里没有备份"
DR_BACKUP_OLD = "最近一次备份是 {when}（{hours:.0f} 小时前），超过 24 小时"
DR_BACKUP_FIX = "运行 xinqiao backup，并启用每日备份（systemctl enable --now xinqiao-backup.timer）"
DR_DATABASE = "数据库设置"
DR_DB_OK = "{what}"
DR_DB_FIX = "见 README 的 Settings 和 Deployment 部分"
DR_SUMMARY_OK = "全部 {count} 项正常"
DR_SUMMARY_BAD = "{bad} 项需要处理（共 {count} 项）"

# --- figures for supervision: each section's title and note, its sheet name, the labels ---
SMALL_NOTE = "少于 3 的数字显示为“<3”，以免认出个人。"
SECTIONS = {
    "reports_by_source": ("报告数量：按来源和级别",
                          "心理委员报告、匿名心理信箱来信和周报（零报告也计入）；级别为关键词分级的结果。"),
    "reports_by_category": ("报告数量：按来源、类别和级别",
                            "一条报告涉及几个类别就在每个类别下各计一次；只列出有报告的类别。"),
    "reports_by_grade": ("报告数量：按年级和级别",
                         "心理委员报告和周报按报告人所在班级或寝室的年级计；匿名来信不记录年级。" + SMALL_NOTE),
    "cases_opened": ("新开案例：按级别和来源", "级别为案例现在的级别（案例升级后按升级后的级别计）。"),
    "cases_closed": ("结案：按结果", "本期内结案的案例（可能开于本期之前）。"),
    "acknowledgement": ("红色、橙色预警到有人确认接手的时间",
                        "从第一条红色或橙色消息启动通知链，到第一位老师确认（收到）为止；“超过第k步”：第k步等待期满"
                        "仍无人确认，通知继续到下一步（或重复提醒、全员通知）的案例数。"),
    "followups": ("跟进是否按时", "跟进日期在本期内且已到的跟进；完成指此后案例有记录、回复、新的跟进日期或结案；"
                                 "按时指在跟进日当天结束前完成。"),
    "checkins": ("周报完成情况：按班级和寝室", "每轮周报从发出到名单提交给心理老师为止（截止时间加宽限）；"
                                          "有情况报告也算交了周报。" + SMALL_NOTE + "此时不显示完成率。"),
    "training_sessions": ("培训：已举行的场次", "出席为培训后老师记录的出席；未记录：这一场还没有记录出席。"
                                             "对象不是全体心理委员时，" + SMALL_NOTE),
    "training_by_role": ("培训出席：按角色", SMALL_NOTE),
    "training_by_class": ("培训出席：按班级和寝室", SMALL_NOTE),
    "training_per_member": ("培训出席：每位心理委员出席了几场", "按人数统计，不列姓名。"),
    "referrals": ("转介：监护人同意与反馈",
                  "本期内建立的转介；反馈逾期：反馈日期已过（按生成时）仍未收到反馈；返校评估：学生返校后的评估已记录。"
                  "只计数量，不列姓名。"),
    "referrals_by_grade": ("转介：按年级", "按学生现在的年级计；只列出有转介的年级。" + SMALL_NOTE),
    "committee_bound": ("心理委员绑定情况：按班级和寝室（截至生成时）",
                        "已绑定：已在微信、企业微信、Telegram 或网页聊天中用邀请码绑定。" + SMALL_NOTE),
    "committee_none": ("没有已绑定心理委员的班级和寝室",
                       "这些班级或寝室的同学目前没有心理委员能通过心桥报告情况：请发邀请码（xinqiao invite issue）。"),
}
SHEET_NAMES = {
    "reports_by_source": "报告来源与级别", "reports_by_category": "报告类别", "reports_by_grade": "报告按年级",
    "cases_opened": "新开案例", "cases_closed": "结案", "acknowledgement": "预警确认时间", "followups": "跟进",
    "checkins": "周报完成", "training_sessions": "培训场次", "training_by_role": "培训按角色",
    "training_by_class": "培训按班级", "training_per_member": "培训按人",
    "referrals": "转介", "referrals_by_grade": "转介按年级", "committee_bound": "心理委员绑定",
    "committee_none": "无绑定的班级",
}
FIGURES_RULE = ("按年级、班级、寝室或角色细分的数字小于 3 时显示为“<3”，以免认出个人；全校合计显示实际数字。"
                "为免从合计减去其他数字推算出“<3”的实际值，同一行或同一列中另一个数字（3 或以上）也会隐藏，显示为“*”。"
                "报告不含任何学生或心理委员的姓名。")
FIGURES_TITLE = "{school} 学生心理健康工作督导数据"
FIGURES_WHERE = "学校：{school}　时间：{label}（{period}）　生成：{made}"
FIGURES_COVER = "说明"
FIGURES_COVER_COLUMNS = ("工作表", "内容")
FIGURES_NOTE = "说明：{note}"
FIGURES_WRITTEN = "{label}（{period}）的督导数据已写入 {path}"
LEVEL_NAMES = {"red": "红色", "orange": "橙色", "yellow": "黄色", "none": "无风险"}
SOURCE_NAMES = {"concern": "心理委员报告", "mailbox": "心理信箱", "checkin": "周报"}
CATEGORY_NAMES = {
    "suicide": "自杀意念或行为", "self_harm": "自伤", "violence": "暴力", "abuse": "虐待", "sexual": "性侵害或骚扰",
    "bullying": "欺凌", "family": "家庭", "loss": "丧失与哀伤", "disaster": "灾害", "distress": "情绪困扰",
    "none": "无风险内容",
}
OUTCOME_NAMES = {"resolved": "已解决", "referred": "已转介", "false_report": "误报", "duplicate": "重复"}
TOTAL = "合计"
SCHOOL = "全校"
NO_GROUP = "（未分班）"
MAILBOX_ROW = "不分年级（匿名信箱）"
NO_GRADE = "未定年级"
AUDIENCE_NAMES = {"all": "全体心理委员", "class": "班级心理委员", "dorm": "寝室心理委员"}
ATTENDANCE_SPREAD = ("全部出席", "部分出席", "从未出席")
