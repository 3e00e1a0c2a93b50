"""`python -m cli`: the `wattkey` command where only the interpreter is on PATH."""

from cli.main import main

if __name__ == "__main__":
    main()
