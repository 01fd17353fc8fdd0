"""The aiohttp inbound adapter: route tables per API face (`routes/`), pydantic schemas, the guard, parser
and serializer every route passes (`binding`), one error shape (`errors`, `middleware`), and the OpenAPI
document and offline docs generated from the tables (`openapi`, `docs`).

It imports application and domain only; bootstrap hands it everything else through typed AppKeys.
"""
