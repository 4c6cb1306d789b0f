"""Every Chinese text the bot sends, and the name of every code it shows. Code decides; this file words it.

No internal code (a status, an event, a role, a kind) reaches a user: views look its name up here.
"""
from __future__ import annotations

# --- names of codes ---
KIND_NAMES = {"inquiry": "业务咨询", "dispute": "矛盾纠纷", "fraud": "反诈预警", "help": "紧急求助"}
SUBTYPE_NAMES = {
    "noise": "噪音扰民", "neighbor": "邻里纠纷", "family": "家庭纠纷", "economic": "经济纠纷",
    "property": "物业纠纷", "landlord_tenant": "租赁纠纷", "other": "其他纠纷",
}
SCAM_TYPE_NAMES = {
    "rebate_task": "刷单返利", "investment": "虚假投资理财", "fake_customer_service": "冒充电商物流客服",
    "impersonate_authority": "冒充公检法", "loan_credit": "虚假贷款/征信", "impersonate_acquaintance": "冒充熟人领导",
    "romance": "网络婚恋交友", "game_trade": "游戏虚假交易", "prize_parttime": "中奖/虚假兼职购物",
    "social_insurance": "医保社保异常", "other": "其他诈骗",
}
STATUS_NAMES = {
    "open": "待受理", "assigned": "已指派", "in_progress": "处理中", "resolved": "已化解", "closed": "已结案",
}
ROLE_NAMES = {"resident": "居民", "grid_worker": "网格员", "officer": "民警", "mediator": "调解员", "admin": "管理员"}
LEVEL_NAMES = {"grid": "网格", "community": "社区", "station": "派出所"}
SATISFACTION_NAMES = {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意"}
EVENT_NAMES = {  # what each CaseEvent action reads as in a case's history
    "opened": "登记", "assigned": "指派", "acknowledged": "受理", "taken": "接单", "transferred": "转派",
    "replied": "回复居民", "note": "备注", "resolved": "化解", "closed": "结案", "reopened": "重新打开",
    "escalated": "上报", "marked_hard": "标记疑难", "linked": "关联同一事件", "follow_up": "居民补充",
    "survey_sent": "发送回访", "survey_answered": "回访答复", "visit_task": "派发上门回访", "scam_advert": "疑似诈骗广告",
    "evidence": "补充材料", "location": "发送位置", "fraud_report": "同一诈骗新举报",
    "marked_wrong": "标记误报", "consent": "记录调解意愿", "paper": "生成调解文书", "rerouted": "更正类型",
}
ACTION_NAMES = {  # the command verbs, in refusals (“不能结案”)
    "take": "接单", "assign": "指派", "transfer": "转派", "note": "备注", "resolve": "化解", "close": "结案",
    "reopen": "重新打开", "escalate": "上报", "hard": "标记疑难", "wrong": "标记误报", "acknowledge": "受理", "assign_on_open": "指派",
    "reroute": "更正类型",
}
OUTBOX_KIND_NAMES = {
    "reply": "回复", "alert": "提醒", "notice": "通知", "broadcast": "广播", "agenda": "议程", "digest": "简报",
    "survey": "回访",
}
NOBODY = "未指定"
SYSTEM_ACTORS = {"gridbot": "社区警务助手", "scheduler": "定时任务", "config": "配置同步"}
BOT_NAME = "社区警务助手"
UNGRIDDED = "未分网格"
DUTY_OFFICER_NAME = "值班民警"
PHONE_UNKNOWN = "未登记"
DIRECT_CHAT_NAME = "私聊"
EMPTY_VALUE = "（空）"
NONE_LISTED = "（无）"


def type_label(kind: str, subtype: str | None = None, scam_type: str | None = None) -> str:
    """'矛盾纠纷/噪音扰民', '反诈预警/刷单返利', '紧急求助'."""
    extra = SUBTYPE_NAMES.get(subtype or "") or SCAM_TYPE_NAMES.get(scam_type or "") or ""
    return KIND_NAMES.get(kind, kind) + (f"/{extra}" if extra else "")


# --- event details written into a case's history ---
EVENT_ASSIGNEE = "负责人：{name}"
EVENT_HANDOVER = "{before} → {after}"
EVENT_ESCALATED = "{before}→{after}：{reason}"
EVENT_LINKED = "与{case}号为同一事件"
HELP_ESCALATION_DETAIL = "{minutes}分钟无人响应（第{n}次）"
SURVEY_EVENT = "回访：{answer}"
SURVEY_SENT_EVENT = "已向反映人发送回访"
VISIT_EVENT = "回访无回复，已派网格员{worker}上门"

# --- residents' group: acknowledgements ---
DISPUTE_ACK = "已收到您反映的{subtype}问题，登记为{case}号，由责任民警{officer}跟进处理，请保持电话畅通。"
DISPUTE_PRIVATE_HINT = "为保护个人信息，群内已隐去号码，详细情况可私聊本助手或{officer}。"
INQUIRY_ACK = "您的咨询已登记为{case}号，责任民警{officer}会尽快答复。"
HELP_ACK = "已紧急通知责任民警{officer}和值班民警。如有生命危险请立即拨打110/120/119！"
HELP_ACK_ON_DUTY = "已紧急通知今天值班的{officer}，责任民警也已收到。如有生命危险请立即拨打110/120/119！"
HELP_JOINED_ACK = "已收到，这个求助已有人报告（{case}号），{officer}已在处置。如有生命危险请立即拨打110/120/119！"
HELP_UPDATE = "【紧急求助·续报】{case}号 又有{reporter}报告同一情况\n原话：{text}"
FLOOD_NOTICE = ("【刷屏提醒】{name}在“{group}”{minutes}分钟内已发{n}条消息。其后续消息只记录、并入其已有案件，"
                "不再逐条回复；新的求助仍照常处理。")
FOLLOW_UP_ACK = "已把您补充的情况记入{case}号，{officer}会继续跟进。"
LINKED_ACK = "这个情况已有邻居反映（{primary}号），已合并跟进，登记为{case}号，由{officer}一并处理。"
CASE_REPLY = "{text}（{case}号 {officer}）"
DISPUTE_CLARIFY = ("您好，您是想反映和邻居、家人或物业之间的矛盾吗？方便的话说说是哪栋楼、什么情况，"
                   "我们转给责任民警{officer}。")

# --- cards and alerts for staff (direct chats only) ---
# The bot was not sure enough to speak in the group: the card says so, and how to correct it.
UNSURE_NOTE = "【请人工判断】助手把握不足，未在群里答复，请看原话酌情处理。"
FRAUD_MAYBE_NOTE = "【可能涉诈，请留意】助手把握不足，未在群里发提醒；确属诈骗请提醒居民，误判请回复 /wrong {id} 误报。"
DANGER_MAYBE_NOTE = "【可能有危险，请尽快核实】助手未在群里回应（像是往事、转述或把握不足），请联系反映人确认。"
CASE_CARD = "【新{kind}】{case}号\n网格：{grid}\n类型：{type}\n反映人：{reporter}\n时间：{time}\n原话：{text}\n{actions}"
FRAUD_ALERT = "【反诈预警】{case}号 {grid}\n反映人：{reporter}\n类型：{type}\n原话：{text}\n时间：{time}\n{actions}"
HELP_CARD = (
    "【紧急求助】{case}号\n求助人：{reporter}　电话：{phone}\n群：{group}　网格：{grid}\n原话：{text}\n时间：{time}\n"
    "请立即处置并回复 /take {id}（任何处置命令即视为已响应）"
)
CARD_ACTIONS = {  # what the card's reader may do next, by role
    "officer": "处理：/case {id} 查看；/reply {id} 内容 回复群内居民；/close {id} 结果 结案",
    "admin": "处理：/case {id} 查看；/reply {id} 内容 回复群内居民；/close {id} 结果 结案",
    "mediator": "处理：/case {id} 查看；/reply {id} 内容 回复居民；/resolve {id} 结果 记录化解",
    "grid_worker": "处理：/case {id} 查看；/note {id} 内容 记录进展",
}
FOLLOW_UP_ALERT = "【补充】{case}号反映人{reporter}补充：{text}"
LINKED_ALERT = "【同一事件】{case}号（{reporter}）与{primary}号是同一{building}的{type}，已关联：{text}"
HELP_REESCALATED = "【求助未响应·再次上报】{case}号已{minutes}分钟无人响应，请立即处置！\n{card}"
HELP_TAKEN_NOTICE = "【求助已有人接手】{grid}的紧急求助{case}号已由{actor}响应处置，您可用 /case {id} 查看进展。"
SURVEY_CLOSED_NOTICE = "【回访结案】{case}号（{type}）反映人{reporter}回访评价“{answer}”，案件已结案。"
UNBOUND_GROUP_NOTICE = "助手被加入了一个未绑定网格的群（{channel}，群号 {chat}{topic}）。在该群发送 /bind 网格编号 即可绑定。"

# --- commands: general ---
REFUSED_ROLE = "抱歉，/{command} 只有{roles}可以使用。如需帮助请直接在群里描述问题。"
UNKNOWN_CASE = "没有找到{case}号案件。"
BAD_USAGE = "用法：{usage}"
HELP_HEADER = "可用命令（也可用中文别名）："
NOT_IN_GRID_GROUP = "这个命令需要在网格群里使用。"
GROUP_BOUND = "本群已绑定到{grid}，助手开始为本群服务。"
GROUP_UNBOUND = "本群已解除网格绑定，助手将不再处理本群消息。"
UNKNOWN_GRID = "没有编号为 {grid} 的网格。可用：{grids}"
DIRECT_HINT = "您好，我是社区警务助手。有事可直接描述，例如“楼上每晚很吵”；紧急情况请拨打110。"
NOT_YOUR_GRID = "{case}号不属于您负责的网格，请联系该网格民警或值班民警处理。"
NOT_YOUR_CASE = "{case}号不是您负责调解的案件，调解员只能处理分派给自己的案件。"
SCAMWORD_ADDED = "已添加反诈识别词“{word}”，从下一条消息起生效。"
SCAMWORD_EXISTS = "反诈识别词“{word}”已经在列表中，无需重复添加。"
SCAMWORD_REMOVED = "已删除反诈识别词“{word}”。"
SCAMWORD_MISSING = "列表中没有反诈识别词“{word}”。"
SCAMWORD_LIST = "运行时添加的反诈识别词：{words}"

# --- commands: one case ---
CASE_CLOSED = "{case}号已结案：{outcome}"
CASE_ALREADY_CLOSED = "{case}号已经结案。"
CASE_REPLIED = "已回复{case}号反映人。"
CASE_DETAIL = "{case}号 [{type}] {status}\n网格：{grid}  负责：{assignee}  反映人：{reporter}\n原话：{text}\n记录：\n{events}"
CASE_EVENT_LINE = "{time} {actor} {event}{move}{detail}"
CASE_EVENT_MOVE = "（{before}→{after}）"
INVALID_TRANSITION = "{case}号当前状态为“{status}”，不能{action}。"
CASE_TAKEN = "已接单：{case}号由{officer}处理。"
CASE_ALREADY_YOURS = "{case}号已经由您处理中。"
CASE_ASSIGNED = "已将{case}号指派给{person}。"
CASE_ASSIGNED_TO_YOU = "{actor}把{case}号指派给您：\n{card}"
UNKNOWN_PERSON = "没有找到“{person}”。可以用编号或姓名，例如 officer-2 或 李警官。"
CANNOT_ASSIGN_TO = "{person}是{role}，不能负责案件。"
NOTE_ADDED = "已为{case}号添加备注。"
NOTE_TO_ASSIGNEE = "{actor}为{case}号添加了备注：{text}"
CASE_RESOLVED = "{case}号已化解：{outcome}。{days}天后将回访反映人。"
CASE_RESOLVED_TO_RESIDENT = "您反映的{case}号问题已化解：{outcome}。感谢您的配合，过几天我们会回访了解情况。"
CASE_REOPENED = "{case}号已重新打开：{reason}"
CASE_REOPENED_TO_ASSIGNEE = "{case}号已重新打开（{actor}）：{reason}\n请跟进：/take {id}"
CASE_ESCALATED = "{case}号已上报到{level}层级：{reason}"
CASE_ESCALATED_ALERT = "【上报】{case}号已由{actor}上报到{level}（小事不出网格、大事不出社区）：{reason}\n{card}"
ESCALATE_TOP = "{case}号已在派出所层级，不能再上报。"
CASE_MARKED_WRONG = "{case}号已标记为误报并结案。"
FALSE_ALARM = "误报"
CASE_MARKED_HARD = "{case}号已标记为疑难案件，将列入周五调解议程。"

# --- officers' corrections (/wrong, 误判) ---
# what officers may type for the right kind and subtype (the codes are accepted too)
CORRECTION_KIND_WORDS = {
    "误报": "chatter", "假警": "chatter", "闲聊": "chatter", "无需处理": "chatter",
    "纠纷": "dispute", "矛盾纠纷": "dispute", "咨询": "inquiry", "业务咨询": "inquiry",
    "诈骗": "fraud", "涉诈": "fraud", "反诈": "fraud", "反诈预警": "fraud", "求助": "help", "紧急求助": "help",
}
CORRECTION_SUBTYPE_WORDS = {
    "噪音": "noise", "邻里": "neighbor", "家庭": "family", "婚姻": "family", "经济": "economic", "欠款": "economic",
    "物业": "property", "租赁": "landlord_tenant", "房东": "landlord_tenant", "其他": "other",
}
CORRECTION_SCAM_WORDS = {
    "刷单": "rebate_task", "返利": "rebate_task", "投资": "investment", "理财": "investment",
    "客服": "fake_customer_service", "公检法": "impersonate_authority", "冒充公检法": "impersonate_authority",
    "贷款": "loan_credit", "征信": "loan_credit", "熟人": "impersonate_acquaintance", "领导": "impersonate_acquaintance",
    "婚恋": "romance", "交友": "romance", "杀猪盘": "romance", "游戏": "game_trade", "中奖": "prize_parttime",
    "兼职": "prize_parttime", "医保": "social_insurance", "社保": "social_insurance", "其他": "other",
}
WRONG_USAGE = (
    "用法：/wrong 编号 类型 [细类] [说明]（或 /误判）\n"
    "类型：误报、纠纷、咨询、诈骗、求助、闲聊（误报和闲聊都按误报结案）\n"
    "纠纷细类：噪音、邻里、家庭、经济、物业、租赁、其他\n"
    "诈骗类型：刷单、投资、客服、公检法、贷款、熟人、婚恋、游戏、中奖、医保、其他\n"
    "例如：/误判 12 误报　/误判 12 纠纷 噪音　/误判 12 求助"
)
WRONG_CONSOLE_KINDS = (("误报", "误报并结案"), ("纠纷", "改为矛盾纠纷"), ("咨询", "改为业务咨询"),
                       ("诈骗", "改为反诈预警"), ("求助", "改为紧急求助"))
WRONG_CONSOLE_SUBTYPE = "{kind}：{name}"
WRONG_SAME = "{case}号已经是“{type}”，无需更正。"
WRONG_CLOSED = "{case}号已标记为误报并结案，已记录这次更正（助手会据此学习）。"
WRONG_CLOSED_PUBLIC = "{case}号已标记为误报并结案，已在群里发了一条更正，已记录这次更正（助手会据此学习）。"
WRONG_REROUTED = "{case}号已从“{before}”更正为“{after}”，已转给{people}，已记录这次更正（助手会据此学习）。"
WRONG_REROUTED_TO_YOU = "【类型更正】{actor}把{case}号从“{before}”更正为“{after}”，请您跟进：\n{card}"
WRONG_RELEASED = "{actor}把{case}号从“{before}”更正为“{after}”，这件不再需要您调解。"
WRONG_EVENT = "{before} → {after}"
# posted in the group once, when the bot's earlier public message about the case was wrong
CORRECTION_NOTICE = "更正：本助手刚才对群里一条消息的提示是误判，请大家忽略，给大家添麻烦了。"
CORRECTION_FRAUD_NOTICE = "更正：本助手刚才的防骗提醒是误判，那条消息与诈骗无关，请大家忽略。"
CASE_ALREADY_HARD = "{case}号已经是疑难案件。"
MINE_HEADER = "您负责的未结案件（{count}件）："
MINE_LINE = "{case}号 [{type}] {status}{hard} {text}"
MINE_EMPTY = "您目前没有未结案件。"
HARD_MARK = "【疑难】"

# --- follow-ups and linking ---
FOLLOW_UP_CUES = ("还是", "还在", "又开始", "又来", "依然", "仍然", "没解决", "还没", "继续", "一直", "更吵", "更严重")

# --- stats ---
STATS_HEADER = "案件统计（{scope}，{period}登记）：共{total}件"
STATS_KIND_LINE = "{kind}：{count}件（{statuses}）化解率{resolution}，满意率{satisfaction}，首次响应{response}，化解用时{avg}"
STATS_RATES = "合计 化解率：{resolution}　满意率：{satisfaction}　首次响应（中位）：{response}　化解用时（中位）：{avg}"
STATS_REOPENED = "其中{n}件曾重新打开，每件只计一次。"
STATS_FALSE_ALARMS = "助手误判：{lines}"
STATS_FALSE_ALARM_KIND = "{kind}误报率{rate}，更正类型{rerouted}件"
STATS_BAD_PERIOD = "看不懂期间“{period}”。可用：本月、上月、本周、上周、今年、30天、2026-11、2026-11-01..2026-11-30"
DURATION_MINUTES = "{n:.0f}分钟"
STATS_ALL = "全部网格"
STATS_NONE = "—"
DURATION_DAYS = "{n:.1f}天"
DURATION_HOURS = "{n:.1f}小时"

# --- follow-up survey (回访) ---
SURVEY_QUESTION = (
    "您好，这里是社区警务助手回访：您反映的{case}号问题（{type}）已于{date}化解：{outcome}。\n"
    "请问问题解决了吗？您对处理结果满意吗？请回复：1 满意　2 基本满意　3 不满意"
)
SURVEY_CHOICES = {  # checked in this order: negative answers first
    "不满意": "unsatisfied", "不太满意": "unsatisfied", "没解决": "unsatisfied", "没有解决": "unsatisfied",
    "基本满意": "basic", "还行": "basic", "满意": "satisfied", "1": "satisfied", "2": "basic", "3": "unsatisfied",
}
SURVEY_THANKS = "感谢您的评价（{answer}），{case}号已结案。祝您生活愉快！"
SURVEY_SORRY = "很抱歉没让您满意，{case}号已重新打开，{officer}会尽快联系您。"
SURVEY_REPEAT = "请回复数字：1 满意　2 基本满意　3 不满意（{case}号回访）"
SURVEY_UNSATISFIED_ALERT = "【回访不满意】{case}号反映人{reporter}表示不满意，案件已重新打开，请尽快跟进：{answer}"
VISIT_TASK = "【上门回访任务】{case}号（{type}）反映人{reporter}在{hours}小时内未回复回访，请上门了解是否解决、是否满意。\n地址/楼栋：{building}\n原话：{text}"

# --- broadcast ---
BROADCAST_ALL = ("all", "全部", "所有")
BROADCAST_USAGE = "/broadcast 目标 内容（目标：网格编号，多个用逗号分隔，或 all/全部）"
BROADCAST_PREVIEW = "【广播预览】编号{id}\n目标：{targets}（共{count}个群）\n内容：{text}\n确认发送请在{minutes}分钟内回复 /confirm {id}"
BROADCAST_NO_GROUPS = "目标网格下没有已绑定的群，无法广播。"
BROADCAST_SENT = "广播{id}已排队发往{count}个群。送达结果稍后私信告诉您，也可发送 /broadcast status {id} 查看。"
BROADCAST_REPORT = "【广播结果】广播{id}已送达{sent}个群（共{total}个）。"
BROADCAST_REPORT_FAILED = "发送失败{n}个：{groups}"
BROADCAST_REPORT_PENDING = "仍在排队{n}个：{groups}"
BROADCAST_STATUS_USAGE = "/broadcast status 广播编号"
BROADCAST_STATUS_WORDS = ("status", "状态", "进度")
BROADCAST_NOT_SENT = "广播{id}还是草稿，尚未确认发送。"
BROADCAST_ALREADY_SENT = "广播{id}已经发送过了，不会重复发送。"
UNKNOWN_BROADCAST = "没有编号为{id}的广播草稿。"
BROADCAST_NOT_YOUR_DRAFT = "广播{id}由{drafter}起草，只有起草人或管理员可以确认发送。"
BROADCAST_DRAFT_EXPIRED = "广播{id}的草稿已超过{minutes}分钟未确认，已过期，请重新发送 /broadcast 起草。"
BROADCAST_TEXT = "【警务提醒】{text}"
ALL_GRIDS_NAME = "全部网格"
BROADCAST_TAG_NAME = "标签“{tag}”的群"
BROADCAST_RETRIED = "已重新发送{n}个失败的群。"
BROADCAST_NOTHING_TO_RETRY = "没有发送失败的群。"
BROADCAST_SUMMARY = "共{total}个群：已送达{sent}，排队中{pending}，失败{failed}"

# --- FAQ: answers, clarifying questions ---
FAQ_ONE = "【{title}】\n{answer}"
FAQ_SEVERAL = "您问到{n}件事，分别答复如下：\n"
FAQ_PART = "{no}【{title}】\n{answer}"
FAQ_STATION = "\n📍{station}：{details}。"
FAQ_STATION_PARTS = {"address": "地址 {address}", "hours": "{hours}", "phone": "电话 {phone}"}
FAQ_ASK_STATION = "请咨询本网格民警"
FAQ_MORE = "\n（如仍有疑问，可@本网格民警{officer}或私聊本助手）"
FAQ_CLARIFY = "您想问：{choices}？回复数字"
FAQ_CHOICE_RANGE = "请回复 1 到 {n} 的数字；也可以直接把问题说得具体一些。"

# --- FAQ: officers' commands (/faq, /问答) ---
FAQ_USAGE = ("/faq list [关键词] | /faq show 标题 | /faq add 标题｜问法1；问法2｜答案 | "
             "/faq edit 标题｜新问法（可空）｜新答案（可空） | /faq remove 标题 | /faq learn 案件编号 [确认 [标题]]")
FAQ_LIST_HEADER = "问答库共{n}条（✎ 民警修改过，＋ 民警添加）。查看：/faq show 标题"
FAQ_LIST_DOMAIN = "【{domain}】{titles}"
FAQ_LIST_NONE = "没有标题或领域含“{word}”的问答。"
FAQ_MARK_CHANGED = "✎"
FAQ_MARK_OWN = "＋"
FAQ_SHOW = "【{title}】（{domain}，{source}）\n问法（{n}条）：{questions}\n答案：\n{answer}"
FAQ_SOURCE_PACKAGED = "内置"
FAQ_SOURCE_CHANGED = "{who}于{when}修改"
FAQ_SOURCE_OWN = "{who}于{when}添加"
FAQ_UNKNOWN_TITLE = "没有标题为“{title}”的问答。{hint}"
FAQ_NEAREST_HINT = "最接近的是：{titles}。"
FAQ_TITLE_TAKEN = "已有标题为“{title}”的问答，请换一个标题，或用 /faq edit 修改它。"
FAQ_PLACEHOLDER_NAMES = {"station": "派出所", "address": "地址", "hours": "办公时间", "phone": "电话"}
FAQ_BAD_ANSWER = "答案里可以写 {派出所} {地址} {办公时间} {电话}，发送时自动填入本所信息；其余花括号请删掉。"
FAQ_NEED_PARTS = "请用“｜”分开标题、问法和答案，问法之间用“；”分开。例如：\n/faq add 核酸证明｜核酸证明在哪开；要不要核酸证明｜……"
FAQ_ADDED = "已添加问答“{title}”（{n}条问法），从下一条消息起生效。"
FAQ_EDITED = "已修改问答“{title}”，从下一条消息起生效。"
FAQ_REMOVED = "已删除问答“{title}”，从下一条消息起不再用它回答。"
FAQ_LEARN_NOT_INQUIRY = "{case}号不是业务咨询，不能转为问答。"
FAQ_LEARN_NO_REPLY = "{case}号还没有民警的 /reply 答复，无法生成问答草稿。"
FAQ_LEARN_DRAFT = ("【问答草稿】来自{case}号\n标题：{title}\n问法：{question}\n答案：{answer}\n"
                   "确认保存请回复 /faq learn {case} 确认（“确认”后可另写标题）；保存后还可用 /faq edit 修改。")
FAQ_LEARN_SAVED = "已把{case}号的答复保存为问答“{title}”，从下一条消息起生效。"
FAQ_LEARN_DONE = "{case}号的答复已经保存为问答“{title}”。"
FAQ_CONFIRM_WORDS = ("确认", "ok", "confirm", "yes", "是")
FAQ_EVENT_DETAIL = "{title}：{what}"
FAQ_WHAT = {"add": "添加", "edit": "修改", "remove": "删除", "learn": "由案件答复转为问答"}

# --- digest: FAQ candidates ---
DIGEST_FAQ = "七、可转为问答的答复（同样的答复已用于多件咨询）"
DIGEST_FAQ_LINE = "· {cases}号答复相同：“{reply}” 回复 /faq learn {case} 生成问答草稿"

# --- residents: self-introduction, help, progress of their own cases ---
INTRO = ("您好！我是{community}的社区警务助手，替{station}和本网格民警值守本群。\n"
         "· 派出所业务直接问我，比如“居住证怎么办”“身份证丢了怎么补”，我马上答复；\n"
         "· 邻里纠纷、可疑电话、被骗等情况直接说，我会登记并转给责任民警{officer}；\n"
         "· 想知道自己反映的事办到哪一步，发“进度 编号”或 /进度 编号；\n"
         "· 紧急情况请直接拨打110，不要只在群里说！")
RESIDENT_HELP = ("您可以直接在群里或私聊里：\n· 问派出所业务（户籍、身份证、居住证、无犯罪记录证明、出入境、车驾管、"
                 "出租房屋登记等）\n· 反映邻里纠纷、噪音、物业等问题，由本网格民警跟进\n· 报告可疑电话、短信或被骗情况\n"
                 "· 查自己反映事项的进度：发“进度 编号”\n紧急情况请拨打110。")
PROGRESS_NONE = "没有查到您反映过的事项。有问题可以直接在群里说，我会登记并转给本网格民警。"
PROGRESS_NOT_YOURS = "没有查到您反映的{case}号事项。只能查询自己反映的事项，请核对编号。"
PROGRESS_SHORT = "您反映的{case}号事项目前{status}：{step}。"
PROGRESS_SENT_DIRECT = "详细进展已私信您。"
PROGRESS_DETAIL = ("【{case}号进度】\n类型：{type}\n反映时间：{created}\n当前状态：{status}\n负责：{officer}\n"
                   "最近进展：{when} {step}\n您反映的内容：{text}")
PROGRESS_OTHERS = "\n您还有其他事项：{cases}（发“进度 编号”查看）"
PROGRESS_USAGE = "/progress 编号"
PUBLIC_STEPS = {  # what a resident may read of each event (notes and internal marks are not here)
    "opened": ("已登记", "已登记，等待民警受理"),
    "assigned": ("已安排专人负责", "已安排{assignee}负责"),
    "transferred": ("已转交专人负责", "已转交{assignee}负责"),
    "acknowledged": ("民警已受理", "{actor}已受理"),
    "taken": ("民警已受理", "{actor}已受理，正在处理"),
    "replied": ("民警已答复", "{actor}答复：{detail}"),
    "resolved": ("已化解", "已化解：{detail}"),
    "closed": ("已办结", "已办结{detail}"),
    "reopened": ("已重新处理", "已重新打开，继续处理"),
    "escalated": ("已提交上级协调", "已提交上级协调处理"),
    "linked": ("已与同一事件合并处理", "已与邻居反映的同一事件合并处理"),
    "follow_up": ("已记录您补充的情况", "已记录您补充的情况"),
    "survey_sent": ("已向您回访", "已向您发送回访"),
    "survey_answered": ("已收到您的回访评价", "已收到您的回访评价"),
    "visit_task": ("已安排上门回访", "已安排网格员上门回访"),
}

# --- fraud ---
FRAUD_ADVERT_FLAG = "⚠️疑似诈骗广告，建议移出发布者（{reporter}）并提醒群成员。"
FRAUD_ADVERT_WARNING = "\n本群有人发布疑似诈骗广告，请大家不要添加、不要联系、不要转账。"

# --- Friday agenda (周五工作法) ---
AGENDA_REASON_NAMES = {"carried": "上周遗留", "urgent": "紧急", "escalated": "已升级", "reopened": "重新打开",
                       "hard": "民警标记疑难", "old": "久拖未决"}
AGENDA_HEADER = "【周五工作法·疑难纠纷议程】{date}（周五）\n以下{n}件纠纷建议本周集中研判调解（按建议顺序）："
AGENDA_DRAFT_HEADER = "【议程草稿】截至{time}，本周五（{date}）议程将包括以下{n}件："
AGENDA_EMPTY = "目前没有需要列入本周五议程的疑难纠纷。"
AGENDA_MORE = "…另有{n}件，见管理后台“周五议程”页"
AGENDA_SECTION = "■ {grid}｜调解员：{mediator}"
AGENDA_ITEM = "{no}. {case}号 {type} {age}{flags}\n   当事人：{party}\n   反映：{text}"
AGENDA_AGE_DAYS = "已{days}天"
AGENDA_AGE_TODAY = "今天登记"
AGENDA_HISTORY = "   经过：{events}"
AGENDA_OUTCOME_HEADER = "【周五工作法·结果反馈】今天议程上的以下纠纷还没有结果，请逐件反馈："
AGENDA_OUTCOME_ITEM = "· {case}号 {type}（{grid}）：/resolve {case} 化解结果 或 /note {case} 进展"
AGENDA_OUTCOME_FOOTER = ("已化解请回复 /resolve 编号 化解结果；仍在调解请回复 /note 编号 进展情况。"
                         "未化解的将列入下周五议程（标注“上周遗留”）。")

# --- daily digest (每日简报) ---
DIGEST_HEADER = "【每日简报】{date} {officer}，您好。{grids}"
DIGEST_GRIDS = "您负责的网格：{names}"
DIGEST_SECTION = "{title}（{n}件）"
DIGEST_EMPTY = "{title}：无"
DIGEST_NEW = "一、昨日以来新登记"
DIGEST_OVERDUE = "二、超过{days}天未办结"
DIGEST_FOLLOWUP = "三、待回访"
DIGEST_FRAUD = "四、近24小时反诈预警"
DIGEST_FAILED = "五、未能送达的消息（请人工联系）"
DIGEST_SKIPPED = "六、错过未发的定时任务"
DIGEST_CASE_LINE = "· {case}号 {kind} {status} {text}"
DIGEST_VISIT_LINE = "· {case}号 居民未答复回访，待上门回访：{text}"
DIGEST_FAILED_LINE = "· 发往 {chat} 的{kind}未能送达：{text}"
DIGEST_PARKED_HEADER = "【每日简报·管理员】{date}"
DIGEST_PARKED = "未能处理、已暂停重试的消息（排除故障后请在服务器上重新处理，见运维手册“消息重试”）"
DIGEST_PARKED_LINE = "· 第{id}条 {chat} {time} 试了{attempts}次：{text}"
DIGEST_MORE_PARKED = "…另有{n}条，见管理后台“反诈与求助”页"
JOB_TITLES = {"timers": "案件定时任务", "digest": "每日简报", "notice": "安全提示·{topics}",
              "agenda": "周五议程", "outcome": "周五结果反馈", "purge": "过期消息清除"}
SCHEDULE_SKIPPED = "{job}（原定{due}）错过{minutes}分钟，超过补发时限{grace}分钟，未发送"
DIGEST_SKIPPED_LINE = "· {detail}"
DIGEST_MORE = "…另有{n}条，可用 /case 编号 查看"

# --- households and vulnerable residents: check-ins, outreach, dissuasion, home visits ---
FLAG_NAMES = {"alone_elderly": "独居老人", "disabled": "残疾", "left_behind_child": "留守儿童", "watch": "重点关注"}
WEEKDAY_NAMES = ("一", "二", "三", "四", "五", "六", "日")
CHECKIN_DAILY = "每天"
CHECKIN_WEEKLY = "每周{days}"
CHECKIN_STATE_NAMES = {"asked": "已询问待回复", "caretaker": "已请照护人看望", "officer": "已报告民警",
                       "ok": "平安", "help": "求助", "skipped": "错过未发"}
CHECKIN_STEP = "{time}{step}"
CHECKIN_STEP_NAMES = {"asked": "询问", "caretaker": "请照护人看望", "officer": "报告民警"}
CHECKIN_PENDING = "尚未确认"
CHECKIN_ANSWERED = "{time}{by}确认{answer}"
CHECKIN_QUESTION = "{salutation}，今天身体还好吗？回复 1 平安，回复 2 需要帮忙"
CHECKIN_OK_WORDS = ("1", "平安", "好", "还好", "挺好", "很好", "都好", "没事", "没事儿", "放心", "一切正常")
CHECKIN_HELP_WORDS = ("2", "需要帮忙", "需要帮助", "帮忙", "帮帮我", "求助", "救命", "不舒服", "不好", "难受", "头晕",
                      "摔倒", "摔了", "起不来")
CHECKIN_THANKS = "收到，{salutation}平安就好！有事随时回复 2 或直接说，我们马上联系您。"
CHECKIN_HELP_ACK = "已通知{caretaker}和责任民警{officer}马上联系您。如有生命危险请立即拨打120/110！"
CHECKIN_LOOK_IN = ("【平安探访】{name}（{flags}）没有微信，请今天{time}前后联系或看望。\n地址：{address}　电话：{phone}\n"
                   "确认平安后回复 /checkin {name} ok；需要帮助回复 /checkin {name} 求助 情况")
CHECKIN_NO_ANSWER = ("【平安探访未回复】{name}（{flags}）{time}的平安询问{hours}小时未回复，请尽快电话或上门看望。\n"
                     "地址：{address}　电话：{phone}\n确认平安后回复 /checkin {name} ok；需要帮助回复 /checkin {name} 求助 情况")
CHECKIN_TO_OFFICER = ("【平安探访·请民警关注】{name}（{flags}）{time}的平安探访至今无人确认（照护人：{caretaker} {caretaker_phone}）。\n"
                      "地址：{address}　电话：{phone}\n请联系或上门，确认后回复 /checkin {name} ok")
CHECKIN_USAGE = "/checkin 姓名 ok（或 /checkin 姓名 求助 情况）"
CHECKIN_RECORDED = "已记录：{name}今天平安（{by}确认）。"
CHECKIN_NOT_YOURS = "您不是{name}的照护人，也不是其网格的工作人员，不能代为报平安。"
CHECKIN_BY_CARETAKER = "{caretaker}代{name}求助：{text}"
CHECKIN_HELP_OPENED = "已为{name}发起紧急求助{case}号，已通知责任民警{officer}和值班民警。"
RESIDENT_UNKNOWN = "您负责的网格里没有找到住户“{who}”。可用姓名、电话或户编号。"
RESIDENT_AMBIGUOUS = "有{n}位“{who}”，请改用户编号或电话：{choices}"
RESIDENT_CHOICE = "{household}（{address}）{name}"
HOUSEHOLD_UNKNOWN = "您负责的网格里没有户“{household}”。可用户编号或完整地址。"
VULNERABLE_HELP_CARD = (
    "【紧急求助·{flags}】{case}号\n求助人：{name}　电话：{phone}\n地址：{address}（户{household}）\n"
    "照护人：{caretaker}　电话：{caretaker_phone}\n原话：{text}\n时间：{time}\n"
    "请立即处置并回复 /take {id}（任何处置命令即视为已响应）"
)
VULNERABLE_HELP_EVENT = "重点人员（{flags}）：户{household}，照护人{caretaker}"

VISIT_USAGE = "/visit 户编号 事由 [已装APP|未装APP] [走访情况] [跟进：事项]"
VISIT_APP_YES = ("已装APP", "已安装APP", "已装", "已安装", "已下载")
VISIT_APP_NO = ("未装APP", "未安装APP", "未装", "未安装", "不愿安装")
VISIT_FOLLOW_UP_MARKS = ("需跟进：", "需跟进:", "待跟进：", "待跟进:", "跟进：", "跟进:", "需跟进", "待跟进")
VISIT_APP_NAMES = {True: "已装反诈APP", False: "未装反诈APP", None: "未问反诈APP"}
VISIT_RECORDED = "已记入走访台账：户{household}（{address}）{topic}，{app}。\n{coverage}"
ANTI_FRAUD_TOPIC = "反诈"
COVERAGE_HEADER = "反诈宣传入户覆盖："
COVERAGE_LINE = "{scope}：已走访 {visited}/{total}户（{rate}），已装APP {app}/{total}户（{app_rate}）"
COVERAGE_NONE = "{scope}：尚无住户名单"
COVERAGE_MORE = "…另有{n}个网格，可用 /stats 网格编号 查看"
UNVISITED_HEADER = "尚未反诈走访的住户（{n}户）："
UNVISITED_LINE = "· {household} {address}{flags}"
UNVISITED_NONE = "您负责的网格的住户都已完成反诈走访。"
UNVISITED_MORE = "…另有{n}户"

DISSUADE_USAGE = "/dissuade 姓名或电话 预警内容"
DISSUADED_USAGE = "/dissuaded 任务号 已见面劝阻成功|未见到人|已报警 [说明]"
DISSUASION_OUTCOME_NAMES = {"persuaded": "已见面劝阻成功", "not_met": "未见到人", "reported": "已报警"}
DISSUASION_OUTCOME_WORDS = {  # longest first
    "已见面劝阻成功": "persuaded", "见面劝阻成功": "persuaded", "劝阻成功": "persuaded", "成功": "persuaded",
    "未见到人": "not_met", "没见到人": "not_met", "未见到": "not_met", "没见到": "not_met",
    "已报警": "reported", "报警": "reported", "1": "persuaded", "2": "not_met", "3": "reported",
}
DISSUASION_TASK = (
    "【预警劝阻】任务{id}号：请立即上门见面劝阻，{minutes}分钟内（{deadline}前）反馈！\n"
    "对象：{name}{flags}　电话：{phone}\n地址：{address}（户{household}，{grid}）\n同户：{members}\n预警：{text}\n"
    "反馈：/dissuaded {id} 已见面劝阻成功｜未见到人｜已报警 [说明]"
)
DISSUASION_UNMATCHED = (
    "【预警劝阻·名单外】任务{id}号：预警对象“{target}”不在住户名单中，请立即核实处置，{minutes}分钟内（{deadline}前）反馈。\n"
    "预警：{text}\n反馈：/dissuaded {id} 已见面劝阻成功｜未见到人｜已报警 [说明]"
)
DISSUASION_CREATED = "已下发劝阻任务{id}号给{people}，要求{minutes}分钟内反馈。"
DISSUASION_LATE = "【劝阻超时】任务{id}号已过{minutes}分钟仍未反馈（第{n}次提醒），请立即处置！\n{task}"
DISSUASION_RECORDED = "任务{id}号已记录：{outcome}{note}。"
DISSUASION_OUTCOME_ALERT = "【劝阻反馈】任务{id}号（{name}）：{outcome}{note}（{by}）"
DISSUASION_UNKNOWN = "没有编号为{id}的劝阻任务。"
DISSUASION_ALREADY = "任务{id}号已反馈过：{outcome}。"
DISSUASION_NOT_YOURS = "任务{id}号不属于您负责的网格。"
DISSUASION_STATE_NAMES = {"open": "待反馈", "late": "已超时", "done": "已反馈"}
STATS_DISSUASION = "预警劝阻：{total}件，已反馈{done}件，劝阻成功率{rate}（未见到人{not_met}，已报警{reported}），超时{late}件，待反馈{open}件"
STATS_CHECKINS = "平安探访（近7天）：询问{asked}人次，平安{ok}，求助{help}，请照护人看望{caretaker}，报告民警{officer}"

DIGEST_CHECKINS = "七、独居老人平安探访"
DIGEST_CHECKIN_LINE = "· {name}（户{household}）{due}：{steps}"
DIGEST_OUTREACH = "八、反诈走访与入户"
DIGEST_VISIT_DAYS = "本周您已入户走访{days}天，目标{target}天"
DIGEST_DISSUASION = "九、预警劝阻"
DIGEST_DISSUASION_LINE = "· 任务{id}号 {name}：{state}"
LEDGER_YES = "是"
LEDGER_NO = "否"
LEDGER_MET = "达标"
LEDGER_NOT_MET = "未达标"

# --- photos, voice notes, locations and files (handlers/media/) ---
MEDIA_KIND_NAMES = {"image": "图片", "voice": "语音", "video": "视频", "file": "文件"}
MEDIA_LINE = "{kind}：{link}"
MEDIA_LINE_FAILED = "{kind}：未能获取（已过期或不符合要求），请联系反映人重新发送"
LOCATION_LINE = "位置：{label}（{lat}, {lng}）{map}"
LOCATION_NO_LABEL = "未标注地点"
IMAGE_TEXT_PREFIX = "［图片文字］"
MESSAGE_KIND_NAMES = {"image": "一张图片", "voice": "一条语音", "video": "一段视频", "file": "一个文件",
                      "location": "一个位置", "other": "一条消息"}
IMAGE_NEEDS_LOOK = "【图片待查看】{reporter}（{group}）发来一张图片，{reason}，请人工查看是否需要处理：\n{link}"
IMAGE_REASONS = {"unavailable": "本机未安装图片文字识别", "failed": "图片无法识别", "fetch": "图片未能获取"}
EVIDENCE_ALERT = "【补充材料】{case}号反映人{reporter}发来{what}：\n{line}"
VOICE_IN_CASE = "【语音待收听】{case}号反映人{reporter}发来一条语音，请及时收听：\n{line}"
VOICE_FROM_VULNERABLE = "【语音待收听】重点关爱对象{reporter}（{group}）发来一条语音，请及时收听：\n{line}"
LOCATION_ALERT = "【位置】{case}号（{type}）反映人{reporter}发来位置：\n{line}"
LOCATION_ACK = "已把您的位置转给{officer}。"
HELP_WITH_LOCATION = "📍求助人已发送{line}"
EVENT_LOCATION = "{label}（{lat}, {lng}）"

# --- one scam, many groups (fraud incidents) ---
INDICATOR_KIND_NAMES = {"phone": "电话", "url": "网址", "domain": "域名", "qr": "二维码", "app": "App",
                        "account": "账号"}
INCIDENT_SPREAD = ("【同一诈骗·多群出现】{case}号（{type}）：{indicators}已在{groups}个群被反映{reports}次，"
                   "新增：{group}（{reporter}）。\n涉及：{group_names}\n原话：{text}\n"
                   "如需提醒更多群，可用 /broadcast 网格编号 内容")
INCIDENT_REPEAT = "【同一诈骗·再次反映】{case}号：{group}的{reporter}再次反映（共{reports}次，{groups}个群）：{text}"
INCIDENT_EVENT = "{group}：{text}"
INDICATOR_ITEM = "{kind}“{value}”"
EXPORT_INDICATOR_HEADERS = ("类型", "线索", "首次发现", "最近发现", "涉及群数", "涉及群", "举报次数", "案件号", "示例（已脱敏）")

# --- mediation papers (人民调解文书) ---
PAPER_NAMES = {"application": "人民调解申请书", "notice": "人民调解告知书", "agreement": "人民调解协议书"}
PARTY_NAMES = {"applicant": "申请人", "respondent": "被申请人"}
CONSENT_EVENT = "{party}{name}同意人民调解"
CONSENT_NEEDS_NAME = "请填写当事人姓名。"
PAPER_ROLE = "只有民警、管理员和调解员可以记录调解意愿、制作调解文书。"
PAPER_NOT_DISPUTE = "{case}号不是矛盾纠纷，不需要调解文书。"
PAPER_UNKNOWN = "没有这种调解文书。"
PAPER_NEEDS_CONSENT = "请先记录双方当事人同意调解，再制作调解文书。"
PAPER_NEEDS_OUTCOME = "案件还没有调解结果，化解后才能制作调解协议书。"
AGENDA_AWAITING_CONSENT = "待双方同意调解"

# --- ledgers and exports (台账) ---
LEDGER_VISIT_PENDING = "待答复"
DELIVERY_NAMES = {"pending": "排队中", "sent": "已送达", "failed": "失败"}
# Why a copy to a group has not arrived (yet): a delivery receipt's reason (bot/failover.py)
RECEIPT_REASONS = {
    "budget": "微信群账号本时段发送额度已用完，稍后自动发送",
    "down": "发送渠道暂时连不上，稍后自动重试",
    "throttled": "平台限速，稍后自动发送",
    "unsure": "发送出错，稍后自动重试",
    "refused": "平台拒收",
    "gave_up": "多次重试仍未送达",
}
RECEIPT_CHANNELS = {"bridge": "微信群", "aibot": "企业微信群机器人", "wecom": "企业微信应用", "mp": "公众号",
                    "mp_followers": "公众号模板消息（已转给本网格关注居民）", "sandbox": "演示沙盒"}
BROADCAST_REPORT_VIA = "送达渠道：{channels}"
BROADCAST_REPORT_FOLLOWERS = "公众号模板消息：已发给{sent}位关注居民，排队{pending}位，失败{failed}位"

# --- the officers' console ---
CONSOLE_NEEDS_TEXT = "请填写内容（结果、原因或人员）后再提交。"
CONSOLE_CONSENT_RECORDED = "已记录当事人同意调解。"
CONSOLE_PAPER_MADE = "调解文书已生成并附在案件上。"
CONSOLE_OFFICERS_ONLY = "只有民警和管理员可以广播。"
CONSOLE_HOUSEHOLDS_STAFF_ONLY = "住户名单只有网格民警、网格员和所领导可以查看。"
CONSOLE_HOUSEHOLD_SAVED = "已保存户{household}的信息。"
CONSOLE_RESIDENT_SAVED = "已保存{name}的信息。"
CONSOLE_PHONE_KEEP = "不修改请留空"
EDIT_PHONE_BAD = "电话“{text}”不是号码（5到20位数字）"
EDIT_ADDRESS_REQUIRED = "地址不能为空"

# Staff commands typed in a group are answered in the staff member's direct chat (handlers/privacy_routing.py)
SENT_PRIVATELY = "已私信您"
PRIVATE_CHAT_NEEDED = "为保护居民信息，这条命令不在群里答复，请私聊本助手发送。"
PURGED_TEXT = "（已超过保存期限，原话已清除）"
MEDIA_LINE_PURGED = "{kind}：已超过保存期限，已清除"

STATION_CARD = "【{name}】\n地址：{address}\n办公时间：{hours}\n电话：{phone}（紧急情况请直接拨打110）"
