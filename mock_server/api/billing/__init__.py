"""The account's own reads: /me, /usage, /billing/*."""
