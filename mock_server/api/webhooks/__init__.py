"""Webhook endpoints and their signed deliveries."""
