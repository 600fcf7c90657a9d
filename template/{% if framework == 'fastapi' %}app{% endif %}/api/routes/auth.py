"""Register, log in, rotate refresh tokens and log out."""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, status
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import CurrentPrincipal, SessionDep
from app.core.audit import record
from app.core.config import get_settings
from app.core.errors import problem_responses
from app.core.security import create_access_token, digest, hash_password, new_secret, verify_password
from app.models import RefreshToken, User
from app.schemas.auth import RefreshRequest, RegisterRequest, TokenPair, UserRead
from app.schemas.common import NO_NUL

router = APIRouter(prefix="/auth", tags=["auth"])
users_router = APIRouter(prefix="/users", tags=["users"], responses=problem_responses(401))

INVALID_REFRESH = HTTPException(status.HTTP_401_UNAUTHORIZED, "Invalid, expired or revoked refresh token.")


async def issue_tokens(session: AsyncSession, user: User) -> TokenPair:
    """A new access token and a new refresh token (stored as a digest)."""
    access_token, expires_in = create_access_token(user.id, user.is_admin)
    refresh_token = new_secret("rt")
    now = datetime.now(UTC)
    session.add(
        RefreshToken(
            user_id=user.id,
            token_hash=digest(refresh_token),
            created_at=now,
            expires_at=now + timedelta(days=get_settings().REFRESH_TOKEN_DAYS),
        )
    )
    await session.commit()
    return TokenPair(access_token=access_token, refresh_token=refresh_token, expires_in=expires_in)


@router.post("/register", response_model=UserRead, status_code=status.HTTP_201_CREATED,
             responses=problem_responses(409, 422))
async def register(body: RegisterRequest, session: SessionDep) -> User:
    email = body.email.lower()
    if await session.scalar(select(User.id).where(User.email == email)) is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, "A user with this e-mail already exists.")
    user = User(email=email, full_name=body.full_name, hashed_password=hash_password(body.password))
    session.add(user)
    await session.commit()
    await session.refresh(user)
    return user


@router.post("/login", response_model=TokenPair, responses=problem_responses(401, 422))
async def login(
    username: Annotated[str, Form(max_length=320, pattern=NO_NUL, description="The account's e-mail")],
    password: Annotated[str, Form(max_length=128)],
    session: SessionDep,
    grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
) -> TokenPair:
    """OAuth2 password flow (the form Swagger's Authorize button sends). Every attempt is audited."""
    user = await session.scalar(select(User).where(User.email == username.lower()))
    if not verify_password(password, user.hashed_password if user else None) or not user or not user.is_active:
        # The user id only, never the e-mail or password: the log must not become a list of guesses.
        record(session, "auth.login_failed", target_type="user", target_id=user.id if user else None)
        await session.commit()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Wrong e-mail or password.",
                            headers={"WWW-Authenticate": "Bearer"})
    record(session, "auth.login", actor_id=user.id, target_type="user", target_id=user.id)
    return await issue_tokens(session, user)  # commits the event with the refresh token


@router.post("/refresh", response_model=TokenPair, responses=problem_responses(401, 422))
async def refresh(body: RefreshRequest, session: SessionDep) -> TokenPair:
    """Trade a refresh token for a new pair; the old one stops working (rotation).

    Presenting a token that was already rotated means it leaked: every session of that user ends.
    """
    now = datetime.now(UTC)
    stored = await session.scalar(select(RefreshToken).where(RefreshToken.token_hash == digest(body.refresh_token)))
    if stored is None:
        raise INVALID_REFRESH
    if stored.revoked_at is not None:
        await session.execute(
            update(RefreshToken).where(RefreshToken.user_id == stored.user_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        await session.commit()
        raise INVALID_REFRESH
    expires_at = stored.expires_at if stored.expires_at.tzinfo else stored.expires_at.replace(tzinfo=UTC)
    user = await session.get(User, stored.user_id)
    if expires_at <= now or user is None or not user.is_active:
        raise INVALID_REFRESH
    stored.revoked_at = now
    return await issue_tokens(session, user)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(422))
async def logout(body: RefreshRequest, session: SessionDep) -> None:
    """Revoke a refresh token. Unknown tokens are ignored so logout never leaks which tokens exist."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.token_hash == digest(body.refresh_token), RefreshToken.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    await session.commit()


@users_router.get("/me", response_model=UserRead, responses=problem_responses(404))
async def read_me(principal: CurrentPrincipal, session: SessionDep) -> User:
    user = await session.get(User, principal.user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "User not found.")
    return user
