"""VIP/Free channel manager: the example aiogram 3 bot that ``replay`` profiles.

The public seams are :func:`bot.app.create_dispatcher` and :func:`bot.app.create_bot`,
the database helpers in :mod:`bot.db`, the background jobs in :mod:`bot.jobs` and
:func:`bot.seed.seed_database`.
"""
