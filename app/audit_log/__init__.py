"""The audit viewer for admins and the data-protection officer."""
