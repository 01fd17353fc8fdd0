"""The cabinet sync's machinery: one runner per WB source, their paging and position logic, and the one
table of sources (`sources.SOURCES`). The use case that drives it is `application.use_cases.sync_cabinet`.
"""
