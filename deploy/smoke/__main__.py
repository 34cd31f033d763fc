"""``python -m deploy.smoke``, what ``make prod-smoke`` runs: the smoke run's exit status."""

import sys

from deploy.smoke.main import main

if __name__ == "__main__":
    sys.exit(main())
