"""Chancery's domain: what a reported diplomatic action is, and the rules its timeline obeys.

Knows nothing of storage, imports, projections, typer or rich: everything here is usable from
any front end.
"""
