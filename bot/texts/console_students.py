"""The console's texts for students' files (学生档案, issue 16): the list, a file, its forms, 我的任务,
the queue's overdue section."""

from __future__ import annotations

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
