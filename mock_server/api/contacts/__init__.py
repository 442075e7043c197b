"""Contacts and contact groups, their members."""
