"""Simulated enterprises raising realistic issues through every intake channel.

Each issue is drawn from a scenario (seeded, so ``--seed`` reproduces a run); the scenario only
shapes the issue's data — category, description, tier, channel, intake tags — and the simulated
departments (agents/enterprise_issues/) react to that data: objections to descriptions outside
their remit, legacy problems answered only under supervision, repeated problems fixed after a bad
rating. A few enterprises report their problem again through another channel, which the pool
merges.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from random import Random
from typing import Any

from streams.clock import Clock
from streams.eventlog import EventLog
from streams.identifiers import make_uscc
from streams.issues import model as m
from streams.issues.report import issue_summary
from streams.service_desk import ServiceDesk, new_case_id
from streams.startup import Connection

DESCRIPTIONS = {
    "financing": (
        "企业申请的创业担保贷款已提交两个月，银行迟迟未放款，影响原材料采购",
        "技改项目需要中长期贷款，多家银行要求追加抵押，企业无力提供",
        "申请的应急转贷资金审批进度不明，流动资金即将断档",
    ),
    "employment": (
        "春节后一线操作工缺口约四十人，招聘渠道有限",
        "申请稳岗返还已过公示期，补贴仍未到账",
        "外地员工子女入学需要积分证明，企业不清楚办理流程",
    ),
    "approval": (
        "食品生产许可证延续申请材料反复补正，一个月仍未办结",
        "医疗器械经营备案办理进度不明，影响产品上市",
        "第二类医疗器械注册变更需要的材料清单前后不一致",
    ),
    "policy_fulfilment": (
        "企业申报的技改补贴已公示三个月仍未拨付",
        "高新技术企业认定奖励未按政策兑现",
        "首台套保险补偿资金申请半年无人答复",
    ),
    "utilities": (
        "新厂区用电扩容申请两个月未接通，生产线无法投产",
        "园区燃气管道接入费用过高，企业难以承担",
        "厂区自来水水压不足，影响清洗工序",
    ),
    "intellectual_property": (
        "企业注册商标被网店大量仿冒销售",
        "专利产品被竞争对手仿制并低价销售",
        "申请专利快速预审一直没有进展",
    ),
    "logistics": (
        "园区周边货车限行，原材料无法按时进厂",
        "厂区门口道路破损严重，货车进出困难",
        "港区集卡预约难，出口货物经常错过船期",
    ),
    "arrears": (
        "为区内某国有企业承建的工程款一百八十万元拖欠一年多未支付",
        "政府采购项目验收合格后货款迟迟未结算",
        "街道下属单位拖欠物业服务费两年",
    ),
    "land": (
        "企业扩建用地指标迟迟未落实",
        "厂房所在地块规划性质调整，土地证无法办理",
        "工业用地出让后配套道路一直未建",
    ),
    "environment": (
        "环评审批时间过长，新生产线无法投产",
        "排污许可证变更申请一直未办理",
        "希望明确异味治理的整改标准，避免重复检查",
    ),
    "tax": (
        "出口退税办理进度缓慢，资金压力大",
        "跨区迁移后税务登记迁出手续卡住",
        "增值税留抵退税申请被退回，原因说明不清",
    ),
}
# Reports outside the first candidate department's remit: that department objects.
MISROUTED = {
    "logistics": (
        "快递网点拒绝上门揽收大件货物，电商订单大量积压",
        "快件在转运中心滞留多日，客户投诉不断",
    ),
    "approval": (
        "新建厂房的施工许可证申请已提交一个多月仍未批复",
        "申请建设项目竣工验收备案，窗口告知需另行预约",
    ),
}
POLICY_QUESTIONS = {
    "tax": "研发费用加计扣除政策适用范围存在疑问，希望给予解答",
    "employment": "想了解招用高校毕业生的社保补贴申领条件",
    "financing": "想了解专精特新企业可以申请哪些贴息贷款",
}
CROSS = ("policy_fulfilment", "arrears", "utilities", "land")

NAME_PARTS = (
    ("宁波", "甬江", "鄞州", "北仑", "慈溪", "余姚", "象山", "镇海", "奉化", "海曙"),
    ("恒达", "瑞丰", "东海", "华信", "明远", "海天", "银泰", "金桥", "新光", "博越", "凯盛", "永信"),
    ("精密机械", "新材料", "电子科技", "食品", "服装", "模具", "汽车零部件", "塑业", "生物医药", "智能装备"),
)
CHANNEL_WEIGHTS = {
    "HOTLINE_12345": 35,
    "SERVICE_CENTER": 20,
    "ONLINE_ZONE": 20,
    "RATING": 10,
    "SURVEY": 8,
    "MEETING": 7,
}
TIER_WEIGHTS = {"TOWNSHIP": 30, "COUNTY": 50, "CITY": 20}
# The first issues run one of each scenario so even a small run shows the whole loop.
SCENARIOS = (
    "smooth",
    "objection",
    "legacy",
    "repeated",
    "site_check",
    "policy_question",
    "eager_close",
    "cross",
    "hard_legacy",
)
SCENARIO_WEIGHTS = {
    "smooth": 40,
    "objection": 8,
    "legacy": 8,
    "repeated": 10,
    "site_check": 8,
    "policy_question": 8,
    "eager_close": 5,
    "cross": 10,
    "hard_legacy": 3,
}


@dataclass(frozen=True)
class Plan:
    originals: list[dict[str, Any]]
    # Repeated reports: (index of the original, payload)
    repeats: list[tuple[int, dict[str, Any]]]


def _pick(rng: Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _enterprise(rng: Random, seed: str) -> tuple[str, str]:
    place, word, trade = (rng.choice(part) for part in NAME_PARTS)
    return f"{place}{word}{trade}有限公司", make_uscc(seed)


def issue_payload(rng: Random, scenario: str, serial: str) -> dict[str, Any]:
    """One realistic IssueRaised payload for ``scenario``."""
    name, uscc = _enterprise(rng, f"issue-{serial}")
    category = rng.choice(sorted(DESCRIPTIONS))
    tags: list[str] = []
    channel, tier, difficulty = _pick(rng, CHANNEL_WEIGHTS), _pick(rng, TIER_WEIGHTS), None
    description = rng.choice(DESCRIPTIONS[category])
    if scenario == "objection":
        category = rng.choice(sorted(MISROUTED))
        description = rng.choice(MISROUTED[category])
    elif scenario == "legacy":
        tags, tier = [m.TAG_LEGACY], "TOWNSHIP"
    elif scenario == "repeated":
        tags = [m.TAG_REPEATED]
    elif scenario == "site_check":
        tags = [m.TAG_SITE_CHECK]
    elif scenario == "policy_question":
        category = rng.choice(sorted(POLICY_QUESTIONS))
        description, tags = POLICY_QUESTIONS[category], [m.TAG_POLICY_QUESTION]
    elif scenario == "eager_close":
        category = "environment"
        description = rng.choice(DESCRIPTIONS[category])
    elif scenario == "cross":
        category = rng.choice(CROSS)
        description = rng.choice(DESCRIPTIONS[category])
    elif scenario == "hard_legacy":
        channel, difficulty, tags = "MEETING", "HARD", [m.TAG_LEGACY]
    return {
        "channel": channel,
        "uscc": uscc,
        "enterprise_name": name,
        "category": category,
        "description": description,
        "tier": tier,
        "city": "ningbo",
        "difficulty": difficulty,
        "tags": tags,
    }


def repeat_of(rng: Random, original: dict[str, Any]) -> dict[str, Any]:
    """The same enterprise reporting the same problem again, through another channel."""
    channel = rng.choice([c for c in CHANNEL_WEIGHTS if c not in (original["channel"], "MEETING")])
    return {**original, "channel": channel, "description": "再次反映：" + original["description"]}


def plan_issues(count: int, rng: Random) -> Plan:
    """``count`` reports: about one in eight repeats an earlier, slow one."""
    if count < 0:
        raise ValueError(f"cannot simulate {count} issues")
    repeats = count // 8 if count >= 8 else 0
    originals = []
    for index in range(count - repeats):
        scenario = SCENARIOS[index] if index < len(SCENARIOS) else _pick(rng, SCENARIO_WEIGHTS)
        originals.append(issue_payload(rng, scenario, f"{rng.random():.12f}-{index}"))
    # Repeat the slow ones: they are still open when the second report comes.
    slow = [i for i, o in enumerate(originals) if {m.TAG_LEGACY, m.TAG_SITE_CHECK} & set(o["tags"])]
    slow = slow or list(range(len(originals)))
    chosen = [slow[i % len(slow)] for i in range(repeats)] if slow else []
    return Plan(originals, [(i, repeat_of(rng, originals[i])) for i in dict.fromkeys(chosen)])


def repeat_pause(clock: Clock) -> float:
    """Real seconds between the first reports and the repeats: a few platform hours."""
    return min(1.0, max(0.3, clock.real_seconds(4 * 3600)))


def simulate_issues(connection: Connection, *, count: int, seed: int | None) -> list[str]:
    """Publish ``count`` realistic issue reports; returns their issue ids (repeats included)."""
    plan = plan_issues(count, Random(seed))
    desk = ServiceDesk(connection)
    try:
        ids = [_raise(desk, payload) for payload in plan.originals]
        if plan.repeats:
            time.sleep(repeat_pause(connection.settings.clock()))
            ids += [_raise(desk, payload) for _, payload in plan.repeats]
        return ids
    finally:
        desk.close()


def _raise(desk: ServiceDesk, payload: dict[str, Any]) -> str:
    return desk.submit(m.RAISED, payload, subject=payload["uscc"], case_id=new_case_id("QY")).case_id


def ended(event_log: EventLog, issue_ids: Iterable[str]) -> bool:
    """Every issue merged, or closed and followed up."""
    for issue_id in issue_ids:
        types = {e.type for e in event_log.events(issue_id)}
        merged = any(
            e.type == m.MERGED and e["duplicate_issue_id"] == issue_id for e in event_log.events(issue_id)
        )
        if not merged and not {m.CLOSED, m.FOLLOWED_UP} <= types:
            return False
    return True


def wait_for_issues(event_log: EventLog, issue_ids: list[str], timeout: float) -> dict[str, Any]:
    """Wait until the issues end (or ``timeout``); the loop's figures over them."""
    event_log.wait_until(lambda: ended(event_log, issue_ids), timeout)
    return issue_summary({i: event_log.events(i) for i in issue_ids})
