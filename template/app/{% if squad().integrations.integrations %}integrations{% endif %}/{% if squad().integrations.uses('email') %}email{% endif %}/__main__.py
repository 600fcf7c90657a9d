"""Check the e-mail settings by sending a test message: ``python -m app.integrations.email you@example.com``."""

import asyncio
import sys

from app.integrations.email import EmailNotConfigured, send_email


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python -m app.integrations.email RECIPIENT")
    try:
        asyncio.run(send_email(sys.argv[1], "Test message", "Your SMTP settings work.", "<p>Your SMTP settings work.</p>"))
    except EmailNotConfigured as error:
        sys.exit(str(error))
    print(f"sent a test message to {sys.argv[1]}")


if __name__ == "__main__":
    main()
