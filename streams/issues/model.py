"""The vocabulary of the enterprise issue loop (涉企问题闭环): event names, states, code lists.

Codes are English and travel in events; the Chinese display names are what people read.
"""

from __future__ import annotations

# Events, in the order an issue usually meets them.
RAISED = "IssueRaised"
ACCEPTED = "IssueAccepted"
MERGED = "IssueMerged"
ASSIGNED = "IssueAssigned"
OBJECTED = "AssignmentObjected"
HANDLING_STARTED = "IssueHandlingStarted"
INTERIM_REPLIED = "IssueInterimReplied"
EXTENSION_REQUESTED = "IssueExtensionRequested"
EXTENSION_GRANTED = "IssueExtensionGranted"
ANSWERED = "IssueAnswered"
RATED = "IssueRated"
CLOSE_REQUESTED = "IssueCloseRequested"
CLOSED = "IssueClosed"
REOPENED = "IssueReopened"
OVERDUE = "IssueOverdue"
ESCALATED = "IssueEscalated"
STUCK = "IssueStuck"
FOLLOWED_UP = "IssueFollowedUp"
REFUSED = "IssueActionRefused"

# Platform producers of the loop (departments' desks and the simulated enterprises are departments).
POOL = "issue_pool"
POOL_ROUTER = "issue_pool_router"
LOOP = "issue_loop"
WATCHDOG = "issue_watchdog"
LOOP_VERSION = "1.0.0"

CHANNELS = {
    "HOTLINE_12345": "12345热线",
    "SERVICE_CENTER": "企业综合服务中心",
    "ONLINE_ZONE": "网上企业专区",
    "RATING": "好差评",
    "SURVEY": "主动走访调查",
    "MEETING": "政企恳谈会",
}

# Lowest first: escalation moves one step to the right.
TIERS = ("TOWNSHIP", "COUNTY", "CITY")
TIER_NAMES = {"TOWNSHIP": "乡镇（街道）", "COUNTY": "区县", "CITY": "市"}

DIFFICULTIES = {"ORDINARY": "一般", "CROSS_DEPARTMENT": "跨部门", "HARD": "疑难"}
MODES = {"SINGLE": "单一部门承办", "LEAD_ASSIST": "牵头部门+协办部门", "JOINT_MEETING": "联席会议"}

RATINGS = {
    "VERY_SATISFIED": "非常满意",
    "SATISFIED": "满意",
    "BASICALLY_SATISFIED": "基本满意",
    "DISSATISFIED": "不满意",
    "VERY_DISSATISFIED": "非常不满意",
}
SATISFIED = frozenset({"VERY_SATISFIED", "SATISFIED", "BASICALLY_SATISFIED"})

RESOLUTIONS = {"RESOLVED": "已解决", "PARTIALLY_RESOLVED": "部分解决", "EXPLAINED": "已解释说明"}

# Deadline stages: 受理 accept, 答复 first reply, 办结 resolve, 整改 fix after a bad rating.
STAGES = {"ACCEPT": "受理", "REPLY": "答复", "RESOLVE": "办结", "FIX": "整改"}

ACTIONS = {
    "OBJECTION": "异议",
    "HANDLING": "签收办理",
    "INTERIM_REPLY": "阶段性答复",
    "EXTENSION": "延期",
    "ANSWER": "答复",
    "RATING": "评价",
    "CLOSE": "办结",
    "FOLLOW_UP": "回访",
}

FOLLOW_UP_METHODS = {"PHONE": "电话回访", "VISIT": "上门回访", "ONLINE": "线上回访"}

# States of an issue; the happy path is raised → accepted → assigned → handling → answered → rated → closed.
S_RAISED = "raised"
S_ACCEPTED = "accepted"
S_ASSIGNED = "assigned"
S_HANDLING = "handling"
S_ANSWERED = "answered"
S_RATED = "rated"
S_CLOSED = "closed"
S_REOPENED = "reopened"
S_OVERDUE = "overdue"
S_ESCALATED = "escalated"
S_MERGED = "merged"
STATUS_NAMES = {
    S_RAISED: "已提出",
    S_ACCEPTED: "已受理",
    S_ASSIGNED: "已分派",
    S_HANDLING: "办理中",
    S_ANSWERED: "已答复",
    S_RATED: "已评价",
    S_CLOSED: "已办结",
    S_REOPENED: "重新办理",
    S_OVERDUE: "已逾期",
    S_ESCALATED: "已升级督办",
    S_MERGED: "已合并",
}
FINAL_STATUSES = frozenset({S_CLOSED, S_MERGED})

# Labels an intake desk puts on an issue (标签); department desks act on them.
TAG_LEGACY = "历史遗留问题"
TAG_REPEATED = "多次反映"
TAG_SITE_CHECK = "需现场核查"
TAG_POLICY_QUESTION = "政策咨询"

PRODUCER_NAMES = {
    POOL: "企业诉求问题池",
    POOL_ROUTER: "企业诉求问题池",
    LOOP: "涉企问题闭环",
    WATCHDOG: "督办监察",
    "service_center": "企业综合服务中心",
}


def tier_above(tier: str) -> str | None:
    index = TIERS.index(tier)
    return TIERS[index + 1] if index + 1 < len(TIERS) else None
