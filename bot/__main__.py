import sys

from bot.cli import main

if __name__ == "__main__":  # the image-reading pool's processes import this module too: they must not run it
    sys.exit(main())
