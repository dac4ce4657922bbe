"""Data access and business rules, one module per concept.

Functions take an ``AsyncSession`` and never import aiogram: they decide, the handlers and
jobs talk to Telegram. They flush but never commit; the caller owns the transaction.
"""
