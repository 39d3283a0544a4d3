"""PHANAT survey analysis."""
