"""Promotion (八 推广方式): branches, staff, parametric QR codes, follower attribution.

Issue 11 fills it: a QR code per branch and employee, and an inbound handler
(``wxops.core.inbound``, ``event:subscribe`` / ``event:SCAN``) that attributes each new
follower to the scene and answers with the branch's welcome. Empty until then.
"""
