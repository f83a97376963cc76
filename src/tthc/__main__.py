"""``python -m tthc``: the ``tthc`` command (extra ``cli``), for when the console script is not on the PATH."""

import sys

from tthc.cli import main

if __name__ == "__main__":
    sys.exit(main())
