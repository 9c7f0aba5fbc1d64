"""Check kinds that hold a review against its roadmap: coverage of items and KPIs, item numbers, targets, years."""
