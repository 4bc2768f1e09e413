# Django's zh_Hans MONTH_DAY_FORMAT is "m月j日" (03月2日), unlike its own DATE_FORMAT (2026年3月2日).
MONTH_DAY_FORMAT = "n月j日"  # 3月2日
