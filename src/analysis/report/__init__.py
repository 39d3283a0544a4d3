"""Report: every word, table and figure a reader sees, from the results only (Thai and English)."""
