"""Simulated participants of the enterprise issue loop (涉企问题闭环).

- ``desks``: the departments' issue desks (承办单位) — accept, object, handle, answer with evidence;
- ``enterprises``: enterprises rating the answers they get (好差评);
- ``follow_up``: the 12345 hotline's follow-up calls after closure (回访).

Their variation comes from the issue's data — its category, description and intake tags — never
from randomness inside a handler, so a replay behaves the same.
"""
