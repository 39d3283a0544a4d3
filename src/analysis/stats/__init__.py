"""Statistics: numbers and codes only (no words a reader sees); each function names the R call it matches."""
