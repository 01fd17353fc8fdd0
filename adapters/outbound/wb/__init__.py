"""The WB seller API over HTTP: transport (auth, retries, rate limits, error shapes) and per-source calls."""
