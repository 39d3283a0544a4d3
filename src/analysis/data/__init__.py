"""Data: reading exports, timestamps, cleaning, privacy rules, the synthetic generator and `phanat init`."""
