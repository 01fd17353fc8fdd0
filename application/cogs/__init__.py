"""COGS per SKU with validity windows (issue 11 part 2): reads, writes, bulk upload, missing costs."""
