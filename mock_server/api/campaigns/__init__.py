"""Campaigns: recipients, processing into messages, counters, pause and resume."""
