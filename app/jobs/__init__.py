"""The job queue and the runs of jobs that people wait for (matching) or operators watch (daily tasks)."""
