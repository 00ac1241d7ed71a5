"""What staff read from the students' services: refusals (one catalogue), notices and reminders.

A notice or reminder never carries the file's content (PIPL Art. 28): it names the student and says
where to look. The content is read in the console or with the chat commands that list it.
"""

from __future__ import annotations

ERRORS = {
    "unknown": "没有找到这个学生（或不是本校的学生）。",
    "unknown_case": "没有找到案例 #{case_id}（或不是本校的案例）。",
    "ambiguous": "有几位学生叫{name}：{choices}。请写上班级（或学号），例如「{name} 初二(3)班」。",
    "no_class": "请写学生的班级：同名的学生很常见，学生由姓名加班级确定。",
    "name": "请写学生的姓名（1-50个字）。",
    "phone": "监护人{name}的电话「{phone}」不是号码：请只写数字（可以带 + 和 -），7到15位。",
    "guardian": "监护人要写姓名和关系，例如「王芳 母亲 13800000000」。",
    "forbidden": "只有心理老师和危机干预小组成员可以查看或修改学生档案。",
    "attention": "关注等级请写：一般关注、重点关注或特别关注。",
    "reason": "请写明理由。",
    "no_goal": "计划至少要有一个目标。",
    "no_measure_text": "每项措施都要写做什么。",
    "no_responsible": "措施「{text}」没有负责人：请写负责人（班主任、心理老师、心理委员的姓名，或「监护人」）。",
    "responsible": "找不到负责人「{ref}」：请写本校老师或心理委员的姓名，或「监护人」。",
    "past": "日期{day}已经过去了：{what}不能早于今天。",
    "review": "复查日期",
    "due": "措施的完成日期",
    "next": "下一步的日期",
    "feedback_due": "反馈日期",
    "mailbox_link": "匿名来信不能由系统或老师关联到学生：只有学生本人可以在对话里选择告诉老师自己是谁。",
    "level": "风险等级请写：红、橙、黄或无（也可以写 red、orange、yellow、none）。",
    "recommendation": "建议请写：观察、校内辅导、转介或危机干预。",
    "participants": "请写参加评估的人。",
    "consent_how": "同意方式请写：当面、电话或书面。",
    "contact_how": "联系方式请写：家访、电话或家长会。",
    "no_student": "案例 #{case_id} 还没有关联学生档案：请先关联学生（xinqiao students link，或在控制台关联）。",
    "no_guardian": "{name}的档案里没有监护人「{ref}」：请写档案里监护人的姓名或关系（如 母亲）。",
    "no_consent": "还没有监护人同意的记录，转介不能标记为已送出。请先记录监护人同意；"
                  "紧急情况（110/120，或联系不上监护人而生命有危险）请按紧急转介处理并写明理由。",
    "institution": "找不到机构「{ref}」：请先用 xinqiao institutions add 添加（或写机构编号）。",
    "referral": "没有找到转介 #{ref}（或不是本校的）。",
    "plan": "{name}还没有一生一策计划。",
    "measure": "没有找到措施 #{ref}。",
    "not_yours": "措施 #{ref} 不是你负责的。",
    "erased": "这个学生的档案已经删除。",
    "text": "请写内容。",
    "open_cases": "这个学生还有未结案的案例（{ids}）：结案后才能删除档案。",
    "date": "看不懂日期「{day}」：请写 明天、下周一、12/05 或 2026-12-05。",
}

FILE_UPDATED = "{name}的个人档案有更新，请在控制台查看。"
EMERGENCY_REFERRAL = "【紧急转介】{name}的个人档案有更新：心理老师做了紧急转介（未先取得监护人同意），请在控制台查看。"
MEASURE_DUE = "【一生一策提醒】你负责的{name}的一项措施（#{id}）今天到期。发送「我的措施」查看内容。"
GUARDIAN_MEASURE_DUE = "【一生一策提醒】{name}的一项由监护人负责的措施（#{id}）今天到期，请与家长联系确认。"
MEASURE_DUE_UNBOUND = "【一生一策提醒】{name}的一项措施（#{id}）今天到期；负责人没有绑定消息渠道，请提醒负责人。"
REVIEW_DUE = "【一生一策提醒】今天是{name}的计划复查日，请在控制台查看并修订计划。"
FEEDBACK_DUE = "【转介反馈提醒】今天应收到{name}的转介反馈（转介 #{id}），请与家长或机构联系并记录反馈。"
NEXT_CONTACT = "【家校联系提醒】今天是与{name}家长约定的下一步（联系 #{id}），请在控制台查看。"
