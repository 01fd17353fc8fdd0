"""Ports: what the application needs from the world, one module per role. Adapters implement them.

- `identity`: users, cabinets and memberships.
- `sync`: the synced WB data, the per-source sync state and the per-cabinet sync lock.
- `finance`: WB's weekly realization report rows and the paid storage report, as synced.
- `notifications`: the event outbox.
- `wb`: the WB seller API, one method per WB call, and its errors.
- `system`: clock, secrets, readiness checks, the worker heartbeat.
- `unit_of_work`: one transaction over every repository.
- `answers`: the dashboard's answer cache and per-user request budget (best effort, decision 0017).

Every port is a `typing.Protocol`; each has exactly one in-memory implementation in
`adapters/outbound/memory`, held honest by the contract tests that also run the real adapter.
"""
