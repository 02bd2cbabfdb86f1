"""Domain rules: what may happen to organisations, plans, returns, applications, marks."""
