"""What the school admin reads in the roster import, the invite sheet, the supervision figures and the
doctor: one catalogue for these flows (the console renders the same strings). Simplified Chinese."""

from __future__ import annotations

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
