"""Number lookups and WhatsApp statuses."""
