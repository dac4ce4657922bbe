"""Profiling the running bot: `/profile scenario:NAME` and live handler statistics."""
