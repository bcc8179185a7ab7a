#!/usr/bin/env python
import sys

from config.startup import configure


def main():
    configure()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
