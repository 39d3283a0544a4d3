"""Configuration: the study's YAML files (codebook, study, criteria, label sets) read into checked objects."""
