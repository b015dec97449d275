"""`python -m brandrail`: the command line."""

from brandrail.cli import main

main()
