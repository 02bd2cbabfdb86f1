"""Forms of the public pages, one module per journey."""
