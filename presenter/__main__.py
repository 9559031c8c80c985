"""``python -m presenter`` behaves exactly like the ``presenter`` command."""

import sys

from presenter.cli import main

sys.exit(main())
