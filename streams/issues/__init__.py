"""The closed loop for enterprise issues (涉企问题闭环, 企呼我应). See docs/issues.md.

For other modules: ``simulate_issues`` (publish realistic issues), ``issue_summary`` (the published
figures from the issues' events) and ``add_issue_loop`` (wire pool, issue agent and watchdog into
a worker).
"""

from __future__ import annotations

from streams.issues.report import issue_summary
from streams.issues.simulation import simulate_issues
from streams.issues.wiring import add_issue_loop

__all__ = ["add_issue_loop", "issue_summary", "simulate_issues"]
