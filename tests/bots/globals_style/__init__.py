"""A bot written in the "everything global" style many real bots use: a module-level Bot
called directly, a module-level Router, and a module-level engine bound to DATABASE_URL at
import time. replay must drive it with a small adapter and no change to its code."""
