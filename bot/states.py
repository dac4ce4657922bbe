"""FSM states of the admin dialogs."""

from aiogram.fsm.state import State, StatesGroup


class NewPlan(StatesGroup):
    name = State()
    days = State()
    price = State()
    confirm = State()


class SetFreeWait(StatesGroup):
    value = State()


class UserSearch(StatesGroup):
    query = State()


class Broadcast(StatesGroup):
    text = State()
    confirm = State()
