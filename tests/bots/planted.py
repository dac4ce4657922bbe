"""A bot with planted SQL patterns whose exact counts, call sites and labels tests assert.

Each command runs one pattern against a seeded library (authors and books). The line of each
planted statement is marked with a `# PLANTED:` comment that tests look up, so the expected
call sites never drift from the code.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy import ForeignKey, String, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncAttrs,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    deferred,
    mapped_column,
    relationship,
    selectinload,
)

from replay import App, SandboxContext

AUTHORS = 6
BOOKS_PER_AUTHOR = 2


class Base(AsyncAttrs, DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    books: Mapped[list[Book]] = relationship(back_populates="author")


class Book(Base):
    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(128))
    blurb: Mapped[str] = deferred(mapped_column(String(256), default=""))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    author: Mapped[Author] = relationship(back_populates="books")


def create_router(
    db: async_sessionmaker[AsyncSession], background: set[asyncio.Task[Any]]
) -> Router:
    router = Router()

    @router.message(Command("lazy"))
    async def lazy(message: Message) -> None:
        async with db() as session:
            books = (await session.scalars(select(Book).order_by(Book.id))).all()
            names = [(await book.awaitable_attrs.author).name for book in books]  # PLANTED: lazy
        await message.answer(f"{len(names)} books")

    @router.message(Command("get"))
    async def get_loop(message: Message) -> None:
        async with db() as session:
            names = []
            for author_id in range(1, AUTHORS + 1):
                author = await session.get(Author, author_id)  # PLANTED: get
                names.append(author.name if author else "?")
        await message.answer(", ".join(names))

    @router.message(Command("selectin"))
    async def selectin(message: Message) -> None:
        async with db() as session:
            query = select(Author).options(selectinload(Author.books)).order_by(Author.id)
            authors = (await session.scalars(query)).all()  # PLANTED: selectin
        await message.answer(f"{sum(len(a.books) for a in authors)} books")

    @router.message(Command("dup"))
    async def duplicate(message: Message) -> None:
        async with db() as session:
            total = 0
            for _ in range(3):
                query = select(Author.id).where(Author.id == 1)
                total += await session.scalar(query) or 0  # PLANTED: dup
        await message.answer(f"{total}")

    @router.message(Command("blurbs"))
    async def blurbs(message: Message) -> None:
        async with db() as session:
            books = (await session.scalars(select(Book).order_by(Book.id).limit(4))).all()
            texts = [await book.awaitable_attrs.blurb for book in books]  # PLANTED: column
        await message.answer(f"{len(texts)} blurbs")

    @router.message(Command("spawn"))
    async def spawn(message: Message) -> None:
        async def later() -> None:
            await asyncio.sleep(0.05)
            async with db() as session:
                await session.scalar(select(Author.name).where(Author.id == 2))  # PLANTED: late

        task = asyncio.create_task(later())
        background.add(task)
        task.add_done_callback(background.discard)
        await message.answer("spawned")

    @router.message(Command("fail"))
    async def fail(message: Message) -> None:
        async with db() as session:
            try:
                await session.execute(text("SELECT * FROM no_such_table"))  # PLANTED: fail
            except Exception:  # noqa: BLE001
                await message.answer("query failed")
                return
        await message.answer("no failure")

    @router.message(Command("batch"))
    async def batch(message: Message) -> None:
        async with db() as session:
            rows = [{"name": f"New {n}"} for n in range(5)]
            await session.execute(insert(Author), rows)  # PLANTED: batch
            await session.commit()
        await message.answer("inserted")

    @router.message(Command("rename"))
    async def rename(message: Message) -> None:
        async with db() as session:
            author = await session.get(Author, 1)
            assert author is not None
            author.name = "Renamed"
            query = select(Author.id).where(Author.name == "Renamed")
            # The query autoflushes the change first: the UPDATE runs on this line too.
            found = await session.scalar(query)  # PLANTED: flush
            await session.commit()
        await message.answer(f"renamed {found}")

    @router.message(Command("retitle"))
    async def retitle(message: Message) -> None:
        async with db() as session:
            book = await session.get(Book, 1)
            assert book is not None
            book.title = "Retitled"
            await session.commit()  # PLANTED: commit
        await message.answer("retitled")

    @router.message(Command("clash"))
    async def clash(message: Message) -> None:
        async with db() as session:
            session.add(Author(id=1, name="Twin"))
            try:
                await session.flush()  # PLANTED: clash
            except IntegrityError:
                await session.rollback()
            query = select(Author.name).where(Author.id == 1)
            name = await session.scalar(query)  # PLANTED: after
        await message.answer(f"kept {name}")

    return router


async def nightly(db: async_sessionmaker[AsyncSession], bot: Bot) -> int:
    async with db() as session:
        authors = (await session.scalars(select(Author).order_by(Author.id))).all()
        counted = 0
        for author in authors:
            query = select(Book).where(Book.author_id == author.id)
            books = await session.scalars(query)  # PLANTED: job
            counted += len(books.all())
    return counted


async def create_app(ctx: SandboxContext) -> App:
    engine = create_async_engine(ctx.database_url)
    db = async_sessionmaker(engine, expire_on_commit=False)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
        await connection.execute(
            insert(Author), [{"id": n, "name": f"Author {n}"} for n in range(1, AUTHORS + 1)]
        )
        await connection.execute(
            insert(Book),
            [
                {"title": f"Book {a}.{b}", "author_id": a, "blurb": f"About {a}.{b}"}
                for a in range(1, AUTHORS + 1)
                for b in range(BOOKS_PER_AUTHOR)
            ],
        )
    background: set[asyncio.Task[Any]] = set()
    dispatcher = Dispatcher()
    dispatcher.include_router(create_router(db, background))

    async def run_nightly(bot: Bot) -> int:
        return await nightly(db, bot)

    return App(dispatcher=dispatcher, jobs={"nightly": run_nightly}, shutdown=engine.dispose)
