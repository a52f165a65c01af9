"""Menu entries for reports: reached from each initiative (Report and open data)."""

NAV_ITEMS: list = []
