"""Results: what each stage writes to the run folder and how it is read back."""
