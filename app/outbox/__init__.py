"""Messages written with the change that causes them and delivered by a job."""
