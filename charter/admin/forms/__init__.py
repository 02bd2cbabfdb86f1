"""Forms of the administration pages, one module per journey."""
