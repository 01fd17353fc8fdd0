"""The dashboard face (seed 002): use cases behind `/v1`, each scoped to one cabinet the caller is a
member of (the HTTP guard checks membership before a use case runs)."""
