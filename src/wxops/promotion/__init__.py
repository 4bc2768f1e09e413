"""Promotion (八 推广方式): branches and staff, their QR codes and posters, who brought which
follower, leaderboards and targets, and the staff guide. See ``docs/promotion.md``."""
