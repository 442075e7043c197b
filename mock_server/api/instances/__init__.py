"""Instances (read only) and their warm-up safety."""
