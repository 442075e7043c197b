"""Offline checks for MsgFlash payloads and templates."""

__version__ = "0.1.0"
