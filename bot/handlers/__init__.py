"""Routers, each built fresh by a ``create_router()`` factory (see :mod:`bot.app`)."""
