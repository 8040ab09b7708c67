"""Organisations, areas and staff: who coordinates which part of the district."""
