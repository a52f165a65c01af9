"""Coaching: needs assessments, coaches, matching, agreements, sessions."""
