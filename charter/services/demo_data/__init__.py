"""Data files and builders for `flask charter demo-data` (see charter/services/demo.py)."""
