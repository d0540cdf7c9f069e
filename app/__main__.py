import sys

from app.cli import main

if __name__ == "__main__":      # guarded: worker processes (spawned on Windows) import this too
    sys.exit(main())
