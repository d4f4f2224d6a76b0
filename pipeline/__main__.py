import sys

from mdpaper.cli import main

sys.exit(main())
