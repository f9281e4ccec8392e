"""What departments answer, per category: the text for each resolution and the evidence kept."""

from __future__ import annotations

from dataclasses import dataclass

from streams.events import NewEvent, emit
from streams.issues import model as m


@dataclass(frozen=True)
class Script:
    resolved: str
    partial: str
    explained: str
    evidence: tuple[str, ...]


SCRIPTS = {
    "financing": Script(
        "已协调合作银行完成授信审批，贷款已发放到账",
        "已与银行对接，授信额度尚在审批，先行发放部分贷款",
        "经核实企业暂不符合贴息条件，已说明政策口径及可申请的其他融资产品",
        ("银企对接会记录", "放款凭证"),
    ),
    "employment": Script(
        "已组织专场招聘会，推荐岗位人选并落实社保补贴",
        "已发布招聘信息，首批人员到岗，缺口仍在对接",
        "已解释稳岗返还政策适用范围及申报时间",
        ("专场招聘会签到表", "补贴发放清单"),
    ),
    "approval": Script(
        "已开通绿色通道，许可证已核发",
        "材料已补正，尚缺一项专家评审，已约定评审时间",
        "已一次性告知所需材料及办理流程",
        ("许可证复印件", "受理回执"),
    ),
    "policy_fulfilment": Script(
        "奖补资金已拨付到企业账户",
        "首批资金已拨付，剩余部分待财政预算调整后拨付",
        "已说明兑现条件和申报窗口期",
        ("资金拨付凭证", "政策兑现审核表"),
    ),
    "utilities": Script(
        "已协调供电公司完成扩容，线路已接通",
        "临时供电已接通，正式扩容工程已排期",
        "已说明报装流程及各环节时限",
        ("现场勘察照片", "接电验收单"),
    ),
    "intellectual_property": Script(
        "已立案查处侵权行为，责令停止销售并下架",
        "已固定证据并约谈涉事商户，立案调查中",
        "已告知维权途径及快速维权中心联系方式",
        ("行政处罚决定书", "执法检查记录"),
    ),
    "logistics": Script(
        "已协调解决货车通行和装卸问题，办理通行证",
        "已调整部分路段通行时段，其余路段仍在评估",
        "已说明货车限行规定及通行证申请方式",
        ("通行证核发记录", "现场协调纪要"),
    ),
    "arrears": Script(
        "已督促欠款单位签订还款协议，欠款已全额支付",
        "欠款单位已支付部分款项，剩余款项已签订分期还款计划",
        "已说明清欠投诉受理范围和程序",
        ("还款协议", "支付凭证"),
    ),
    "land": Script(
        "已完成用地规划调整，土地证已办理",
        "规划调整方案已报批，土地证待批复后办理",
        "已解释用地指标政策及调整程序",
        ("规划批复文件", "不动产权证书"),
    ),
    "environment": Script(
        "已完成环评审批，排污许可证已核发",
        "环评已受理，专家评审意见待企业补充",
        "已说明环评分类管理名录及适用情形",
        ("环评批复", "排污许可证"),
    ),
    "tax": Script(
        "已为企业办理退税，税款已退回",
        "已受理退税申请，部分税款已退回",
        "已解释税收优惠政策适用条件",
        ("退税通知书", "办税记录"),
    ),
}


def answer(issue_id: str, department: str, category: str, tags: list[str], *, first: bool) -> NewEvent:
    """The department's answer. A problem raised again and again (多次反映) is usually only partly
    solved at the first attempt; a policy question (政策咨询) gets an explanation."""
    script = SCRIPTS[category]
    if m.TAG_POLICY_QUESTION in tags:
        resolution, text = "EXPLAINED", script.explained
    elif first and m.TAG_REPEATED in tags:
        resolution, text = "PARTIALLY_RESOLVED", script.partial
    else:
        resolution, text = "RESOLVED", script.resolved
    evidence = [f"{name}（{issue_id}）" for name in script.evidence]
    return emit(m.ANSWERED, department=department, resolution=resolution, answer=text, evidence=evidence)
