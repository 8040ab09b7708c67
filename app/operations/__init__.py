"""Running the installation: the daily tasks, the worker and scheduler commands, the admins' page of failures."""
