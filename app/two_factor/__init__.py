"""Two-factor authentication for staff (TOTP and recovery codes)."""
