"""Messages: send, schedule, read back; the status flow."""
