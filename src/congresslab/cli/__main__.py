"""``python -m congresslab.cli``: the ``congresslab`` command."""

import sys

from congresslab.cli import main

sys.exit(main())
