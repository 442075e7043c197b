"""Bulk contact jobs: bulk delete and large member changes, worked through as time passes."""
