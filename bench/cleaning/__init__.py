"""Cleaning benchmark: degrade clean Kazakh paragraphs with known PDF artefacts, then score."""
