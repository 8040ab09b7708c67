"""``python -m matching ...`` runs the command line."""

import os
import sys

from .cli import main, tune_allocator

tune_allocator()  # a process of one run: freed memory is better kept for reuse
status = main()
# The run is over and its output written: the interpreter's teardown would free the run's millions of
# objects one by one (0.3–0.4 s at 50,000 mentees), where the system takes the memory back at once.
sys.stdout.flush()
sys.stderr.flush()
os._exit(status)
