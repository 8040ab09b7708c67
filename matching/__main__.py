"""``python -m matching ...`` runs the command line."""

import sys

from .cli import main, tune_allocator

tune_allocator()  # a process of one run: freed memory is better kept for reuse
sys.exit(main())
