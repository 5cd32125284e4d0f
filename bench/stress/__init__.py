"""Stress benchmark: generated texts of hostile shapes, timed stage by stage at doubling sizes."""
