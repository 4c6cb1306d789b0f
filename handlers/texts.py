"""User-facing Chinese text. Code decides; this file words it."""
from __future__ import annotations

KIND_NAMES = {"inquiry": "业务咨询", "dispute": "矛盾纠纷", "fraud": "反诈预警", "help": "紧急求助"}
SUBTYPE_NAMES = {
    "noise": "噪音扰民", "neighbor": "邻里纠纷", "family": "家庭纠纷", "economic": "经济纠纷",
    "property": "物业纠纷", "landlord_tenant": "租赁纠纷", "other": "其他纠纷",
}
STATUS_NAMES = {
    "open": "待受理", "assigned": "已指派", "in_progress": "处理中", "resolved": "已化解", "closed": "已结案",
}
ROLE_NAMES = {"resident": "居民", "grid_worker": "网格员", "officer": "民警", "mediator": "调解员", "admin": "管理员"}

DISPUTE_ACK = "已收到您反映的{subtype}问题，登记为{case}号，由责任民警{officer}跟进处理，请保持电话畅通。"
DISPUTE_PRIVATE_HINT = "为保护个人信息，群内已隐去号码，详细情况可私聊本助手或{officer}。"
CASE_CARD = (
    "【新{kind}】{case}号\n网格：{grid}\n类型：{type}\n反映人：{reporter}\n时间：{time}\n原话：{text}\n"
    "处理：/case {id} 查看；/reply {id} 内容 回复群内居民；/close {id} 结果 结案"
)
INQUIRY_ACK = "您的咨询已登记为{case}号，责任民警{officer}会尽快答复。"
FRAUD_WARNING = (
    "⚠️反诈提醒：这很可能是诈骗！不要转账汇款，不要透露验证码，不要点陌生链接、不要下载陌生APP或开启屏幕共享。"
    "如已转账请立即拨打110或96110反诈专线。"
)
FRAUD_ALERT = "【反诈预警】{case}号 {grid}\n反映人：{reporter}\n类型：{type}\n原话：{text}\n时间：{time}"
HELP_ACK = "已紧急通知责任民警{officer}和值班民警。如有生命危险请立即拨打110/120/119！"
HELP_ALERT = "【紧急求助】{case}号 {grid}\n求助人：{reporter} {phone}\n原话：{text}\n时间：{time}\n请尽快处置并回复 /take {id}"

CASE_REPLY = "{text}（{case}号 {officer}）"
CASE_CLOSED = "{case}号已结案：{outcome}"
CASE_DETAIL = "{case}号 [{kind}/{type}] {status}\n网格：{grid}  负责：{assignee}  反映人：{reporter}\n原话：{text}\n记录：\n{events}"

REFUSED_ROLE = "抱歉，/{command} 只有{roles}可以使用。如需帮助请直接在群里描述问题。"
UNKNOWN_CASE = "没有找到{case}号案件。"
BAD_USAGE = "用法：{usage}"
HELP_HEADER = "可用命令（也可用中文别名）："
NOT_IN_GRID_GROUP = "这个命令需要在网格群里使用。"

UNBOUND_GROUP_NOTICE = "助手被加入了一个未绑定网格的群（{channel}:{chat}{topic}）。在该群发送 /bind 网格编号 即可绑定。"
GROUP_BOUND = "本群已绑定到{grid}，助手开始为本群服务。"
GROUP_UNBOUND = "本群已解除网格绑定，助手将不再处理本群消息。"
UNKNOWN_GRID = "没有编号为 {grid} 的网格。可用：{grids}"

DIRECT_HINT = "您好，我是社区警务助手。有事可直接描述，例如“楼上每晚很吵”；紧急情况请拨打110。"
NOT_YOUR_CASE = "{case}号不是您负责调解的案件，调解员只能处理分派给自己的案件。"
SCAMWORD_ADDED = "已添加反诈识别词“{word}”，从下一条消息起生效。"
SCAMWORD_REMOVED = "已删除反诈识别词“{word}”。"
SCAMWORD_LIST = "运行时添加的反诈识别词：{words}"
