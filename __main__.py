"""`python -m chancery`: the same command as the `chancery` console script."""

from chancery.cli import main

main()
