"""Analysis (九 运营分析): statistics sync, the fortnightly report, recommendations.

Issue 12 fills it: datacube statistics synced per account, the fortnightly tables and
report, and ``editorial.Recommendation`` rows (category weights with a reason in words)
that the planner reads. Empty until then.
"""
