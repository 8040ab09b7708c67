"""The privacy lifecycle (GDPR Art. 15, 17, 20 and storage limitation): own data, erasure, retention."""
