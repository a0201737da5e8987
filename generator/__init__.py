"""Planner, renderer, writer and the version catalog."""
