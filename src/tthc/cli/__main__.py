"""``python -m tthc.cli``: the ``tthc`` command (``python -m tthc`` does the same)."""

import sys

from tthc.cli import main

if __name__ == "__main__":
    sys.exit(main())
