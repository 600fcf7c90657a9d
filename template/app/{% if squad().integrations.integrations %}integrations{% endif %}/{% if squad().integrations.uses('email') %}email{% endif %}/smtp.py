"""The SMTP sender: any provider's submission port, with STARTTLS or implicit TLS and optional AUTH."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage as MimeMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from app.integrations.email.message import EmailMessage

DEFAULT_PORTS = {"smtp": 587, "smtps": 465}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class SmtpConfig:
    """What SMTP_URL says: where to connect, how to secure the connection and who to log in as."""

    hostname: str
    port: int
    username: str | None = None
    password: str | None = None
    use_tls: bool = False  # smtps://: TLS from the first byte
    start_tls: bool = True  # smtp://: upgrade with STARTTLS, required unless ?starttls=false

    @classmethod
    def from_url(cls, url: str) -> SmtpConfig:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise ValueError(f"SMTP_URL must start with smtp:// or smtps://, not {parts.scheme or url!r}://")
        if not parts.hostname:
            raise ValueError("SMTP_URL has no host name, e.g. smtp://user:password@smtp.example.com:587")
        starttls = parse_qs(parts.query).get("starttls", ["true"])[-1].lower()
        if starttls not in _TRUE | _FALSE:
            raise ValueError(f"SMTP_URL: starttls must be true or false, not {starttls!r}")
        return cls(
            hostname=parts.hostname,
            port=parts.port or DEFAULT_PORTS[scheme],
            # Credentials are percent-encoded in a URL ("@" in a password is %40).
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password is not None else None,
            use_tls=scheme == "smtps",
            start_tls=scheme == "smtp" and starttls in _TRUE,
        )


def to_mime(message: EmailMessage, default_sender: str) -> MimeMessage:
    """Build the MIME message: text/plain, plus a text/html alternative when there is HTML."""
    mime = MimeMessage()
    sender = message.sender or default_sender
    mime["From"] = sender
    mime["To"] = ", ".join(message.to)
    if message.reply_to:
        mime["Reply-To"] = message.reply_to
    mime["Subject"] = message.subject
    mime["Date"] = formatdate(localtime=False)
    # A Message-ID on the sender's domain: mail without one is more often filtered as spam.
    mime["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    mime.set_content(message.text)
    if message.html is not None:
        mime.add_alternative(message.html, subtype="html")
    return mime


class SmtpEmailSender:
    """Sends each message on its own connection: simple and robust for transactional volumes."""

    def __init__(self, config: SmtpConfig, default_sender: str, timeout: float = 30.0) -> None:
        self.config = config
        self.default_sender = default_sender
        self.timeout = timeout

    @classmethod
    def from_url(cls, url: str, default_sender: str, timeout: float = 30.0) -> SmtpEmailSender:
        return cls(SmtpConfig.from_url(url), default_sender, timeout)

    async def send(self, message: EmailMessage) -> None:
        mime = to_mime(message, self.default_sender)
        config = self.config
        await aiosmtplib.send(
            mime,
            sender=parseaddr(message.sender or self.default_sender)[1],
            recipients=[parseaddr(recipient)[1] for recipient in message.to],
            hostname=config.hostname,
            port=config.port,
            username=config.username,
            password=config.password,
            use_tls=config.use_tls,
            start_tls=config.start_tls,
            timeout=self.timeout,
        )
