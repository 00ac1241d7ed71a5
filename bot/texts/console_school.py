"""The console's texts for running a school (issue 17): roster import, duty roster, figures for
supervision, invites, training."""

from __future__ import annotations

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
