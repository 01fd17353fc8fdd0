"""The aiohttp inbound adapter: handlers, routes, the JSON error and request-id middlewares.

It imports application and domain only; bootstrap hands it everything else through typed AppKeys.
"""
