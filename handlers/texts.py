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
    "survey_sent": "发送回访",
    "marked_wrong": "标记误报", "consent": "记录调解意愿", "paper": "生成调解文书", "survey_answered": "回访答复", "visit_task": "派发上门回访", "scam_advert": "疑似诈骗广告",
}
ACTION_NAMES = {  # the command verbs, in refusals (“不能结案”)
    "take": "接单", "assign": "指派", "transfer": "转派", "note": "备注", "resolve": "化解", "close": "结案",
    "reopen": "重新打开", "escalate": "上报", "hard": "标记疑难", "wrong": "标记误报", "acknowledge": "受理", "assign_on_open": "指派",
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
FOLLOW_UP_ACK = "已把您补充的情况记入{case}号，{officer}会继续跟进。"
LINKED_ACK = "这个情况已有邻居反映（{primary}号），已合并跟进，登记为{case}号，由{officer}一并处理。"
CASE_REPLY = "{text}（{case}号 {officer}）"

# --- cards and alerts for staff (direct chats only) ---
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
BROADCAST_PREVIEW = "【广播预览】编号{id}\n目标：{targets}（共{count}个群）\n内容：{text}\n确认发送请回复 /confirm {id}"
BROADCAST_NO_GROUPS = "目标网格下没有已绑定的群，无法广播。"
BROADCAST_SENT = "广播{id}已发送到{count}个群。"
BROADCAST_ALREADY_SENT = "广播{id}已经发送过了，不会重复发送。"
UNKNOWN_BROADCAST = "没有编号为{id}的广播草稿。"
BROADCAST_TEXT = "【警务提醒】{text}"
ALL_GRIDS_NAME = "全部网格"
BROADCAST_TAG_NAME = "标签“{tag}”的群"
BROADCAST_RETRIED = "已重新发送{n}个失败的群。"
BROADCAST_NOTHING_TO_RETRY = "没有发送失败的群。"
BROADCAST_SUMMARY = "共{total}个群：已送达{sent}，排队中{pending}，失败{failed}"

# --- FAQ ---
FAQ_STATION = "\n📍{station}：{address}；{hours}；电话 {phone}。"
FAQ_MORE = "\n（如仍有疑问，可@本网格民警{officer}或私聊本助手）"

# --- fraud ---
FRAUD_ADVERT_FLAG = "⚠️疑似诈骗广告，建议移出发布者（{reporter}）并提醒群成员。"
FRAUD_ADVERT_WARNING = "\n本群有人发布疑似诈骗广告，请大家不要添加、不要联系、不要转账。"

# --- Friday agenda (周五工作法) ---
AGENDA_REASON_NAMES = {"carried": "上周遗留", "urgent": "紧急", "escalated": "已升级", "reopened": "重新打开",
                       "hard": "民警标记疑难", "old": "久拖未决"}
AGENDA_HEADER = "【周五工作法·疑难纠纷议程】{date}（周五）\n以下{n}件纠纷建议本周集中研判调解（按建议顺序）："
AGENDA_DRAFT_HEADER = "【议程草稿】截至{time}，本周五（{date}）议程将包括以下{n}件："
AGENDA_EMPTY = "目前没有需要列入本周五议程的疑难纠纷。"
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
JOB_TITLES = {"timers": "案件定时任务", "digest": "每日简报", "notice": "安全提示·{topics}",
              "agenda": "周五议程", "outcome": "周五结果反馈"}
SCHEDULE_SKIPPED = "{job}（原定{due}）错过{minutes}分钟，超过补发时限{grace}分钟，未发送"
DIGEST_SKIPPED_LINE = "· {detail}"
DIGEST_MORE = "…另有{n}条，可用 /case 编号 查看"

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

# --- the officers' console ---
CONSOLE_NEEDS_TEXT = "请填写内容（结果、原因或人员）后再提交。"
CONSOLE_CONSENT_RECORDED = "已记录当事人同意调解。"
CONSOLE_PAPER_MADE = "调解文书已生成并附在案件上。"
CONSOLE_OFFICERS_ONLY = "只有民警和管理员可以广播。"
