"""The operators' dashboard: live pages over the event log, served beside /metrics and /healthz."""
