"""Forms of the assessors' pages, one module per journey."""
