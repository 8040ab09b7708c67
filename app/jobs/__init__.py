"""Background jobs: the queue, the tasks people wait for, and what failed, for the admins."""
