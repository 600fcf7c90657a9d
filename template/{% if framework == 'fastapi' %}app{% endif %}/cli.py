"""Administrative commands: ``python -m app.cli create-admin EMAIL`` (password asked interactively or via ADMIN_PASSWORD)."""

import argparse
import asyncio
import getpass
import os

from sqlalchemy import select

from app.core.audit import record
from app.core.security import hash_password
from app.db.session import SessionLocal, engine
from app.models import User


async def create_admin(email: str, password: str) -> str:
    """Create or promote the admin; either way the audit log says so (no actor: it came from the shell)."""
    async with SessionLocal() as session:
        user = await session.scalar(select(User).where(User.email == email.lower()))
        if user is None:
            user = User(email=email.lower(), hashed_password=hash_password(password), is_admin=True)
            session.add(user)
            outcome = "created"
        else:
            user.is_admin = True
            user.hashed_password = hash_password(password)
            outcome = "promoted"
        await session.flush()  # a new user's id, for the audit event
        record(session, "user.promote", target_type="user", target_id=user.id)
        await session.commit()
    await engine.dispose()
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m app.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin", help="create (or promote) an admin user")
    admin.add_argument("email")
    args = parser.parse_args()
    password = os.environ.get("ADMIN_PASSWORD") or getpass.getpass("Password (8+ characters): ")
    if len(password) < 8:
        parser.error("the password needs at least 8 characters")
    print(f"admin {args.email}: {asyncio.run(create_admin(args.email, password))}")


if __name__ == "__main__":
    main()
