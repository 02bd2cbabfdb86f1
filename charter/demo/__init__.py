"""The demo-data builder for `flask charter demo-data`: data files, cast and journeys."""
