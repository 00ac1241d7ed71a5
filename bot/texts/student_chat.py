"""The texts of the students' files flow (issue 16): what members, students and counsellors read in chat.

家访, 评估, 转介同意 and 我的措施 for staff; the name check after a member's report; a student in an
anonymous thread choosing to tell who they are. Refusals of the services come with their own message
(bot/services/students/texts.py).
"""

from __future__ import annotations

# After a member's report: is it this student? (the report is already filed and paged; only the link waits)
MATCH_ONE = "是{where}的{name}吗？确认后这份报告会放进这位同学的档案。"
MATCH_MANY = "你说的是哪位同学？{where}有几位同名同学，请选择："
OPT_YES, OPT_NO = "是的", "不是"
OPT_NONE = "都不是"
MATCH_LABEL = "{name}（{where}{extra}）"
MATCH_LINKED = "好的，已记下。谢谢你。"
MATCH_UNLINKED = "好的，报告已按你写的提交，心理老师会核实是哪位同学。"

# A student in their anonymous thread: telling who they are is their own choice.
OPT_DISCLOSE = "告诉老师我是谁"
DISCLOSE_WARN = ("你可以选择告诉心理老师你是谁。请想清楚：告诉之后，老师会知道这封信是你写的，"
                 "这段对话就不再匿名（这个选择会被记录，之后不能撤回）。老师知道是你，可以更好地帮你。"
                 "不告诉也完全可以，信箱会继续为你保密身份。")
OPT_DISCLOSE_YES, OPT_DISCLOSE_NO = "确定告诉老师", "继续匿名"
DISCLOSE_ASK = "请写你的姓名和班级，例如「李明 初二(3)班」。回复「继续匿名」可以不告诉。"
DISCLOSE_KEPT = "好的，继续匿名。老师不会知道你是谁。"
DISCLOSE_DONE = "谢谢你的信任。老师现在知道你是{name}（{klass}）了，会在对话里继续回复你（编号 {code}）。"
DISCLOSE_NO_THREAD = "只有在匿名对话里才能选择告诉老师你是谁。发送「查看 编号」回到你的对话。"
DISCLOSE_BAD = "请写姓名和班级，中间用空格隔开，例如「李明 初二(3)班」。回复「继续匿名」可以不告诉。"
DISCLOSED_NOTICE = "匿名对话 {code}（案例 #{case_id}）的学生选择告诉你身份：{name}（{klass}）。{matched}"
DISCLOSED_MATCHED = "已关联到学生档案。"
DISCLOSED_UNMATCHED = "学生档案里没有找到这位同学（或有同名），请核实后在控制台关联。"

# Counsellors' quick steps.
USAGE = {
    "家访": "用法：家访 <案例号> <内容>，例如「家访 12 与母亲面谈，家长同意带孩子就医」。",
    "评估": "用法：评估 <案例号> <红|橙|黄|无> [观察|校内辅导|转介|危机干预] <理由>，"
            "例如「评估 12 橙 转介 睡眠差、成绩骤降」。",
    "转介同意": "用法：转介同意 <案例号> <监护人姓名或关系> <当面|电话|书面> [说明]，例如「转介同意 12 母亲 电话」。",
    "紧急转介": "用法：紧急转介 <案例号> <理由>，例如「紧急转介 12 联系不上家长，学生有生命危险，已拨打120」。"
              "（没有监护人同意时才用：会通知危机干预小组负责人。）",
    "关联": "用法：关联 <案例号> <姓名> [班级]，例如「关联 12 李明 初二(3)班」（匿名来信不能关联）。",
    "取消关联": "用法：取消关联 <案例号>，例如「取消关联 12」。",
}
LINKED = "案例 #{id} 已关联到{label}的档案。"
UNLINKED = "案例 #{id} 已取消关联学生档案。"
EMERGENCY_SENT = "已记录案例 #{id} 的紧急转介（转介 #{referral}），已通知危机干预小组负责人。请尽快补记监护人的情况。"
CONTACT_DONE = "已记录案例 #{id} 的家访。{name}"
ASSESSED = "已记录案例 #{id} 的评估：风险{level}，建议{rec}。{next}"
ASSESS_NEXT_REFERRAL = "下一步可以记录监护人同意：「转介同意 {id} <监护人> <当面|电话|书面>」。"
ASSESS_NEXT_PLAN = "请在控制台为学生制定或修订一生一策计划。"
CONSENTED = "已记录{guardian}（{relation}）{how}同意转介，案例 #{id} 的转介记录 #{referral} 已建立。"
MY_TASKS = "你负责的一生一策措施：\n{lines}"
MY_TASK_LINE = "#{id} {name}：{text}（{day}前）"
NO_TASKS = "你现在没有负责的一生一策措施。"
TASK_DONE = "措施 #{id} 已标记完成。"
FILE_LINKED_NOTE = "（已放进{name}的档案）"
HELP_TASKS = "· 我的措施：你负责的一生一策措施；完成措施 <编号>：标记完成"
HELP_FILE_STAFF = ("学生档案命令：\n· 家访 <案例号> <内容>：记录家访\n"
                   "· 评估 <案例号> <红|橙|黄|无> [观察|校内辅导|转介|危机干预] <理由>：记录评估\n"
                   "· 转介同意 <案例号> <监护人> <当面|电话|书面> [说明]：记录监护人同意转介\n"
                   "· 紧急转介 <案例号> <理由>：来不及取得监护人同意时\n"
                   "· 关联 <案例号> <姓名> [班级] / 取消关联 <案例号>\n" + HELP_TASKS)

# A case's timeline lines about the student's file (案例 <case>): what happened, never the file's content.
CASE_EVENT_WORDS = {
    "student_linked": "关联到学生档案",
    "student_unlinked": "取消关联学生档案",
    "student_not_matched": "报告人说不是档案里的同学",
    "reporter_added": "报告人补充：{text}",
    "identity_told": "学生本人选择告诉老师自己是谁",
    "assessment": "{actor} 记录评估（{level}）",
    "consent": "{actor} 记录监护人同意转介",
    "referral_opened": "建立转介记录",
    "referral_sent": "转介已送出",
    "contact": "{actor} 记录家校联系",
}
OVERDUE_HEAD = "学生档案逾期 {n} 项："
OVERDUE_ITEM = "{name}（{what} #{id}，{day}）"
OVERDUE_WHAT = {"measure": "一生一策措施", "review": "计划复查", "feedback": "转介反馈"}
REFERRAL_OPENED = "已建立转介记录 #{referral}。"
