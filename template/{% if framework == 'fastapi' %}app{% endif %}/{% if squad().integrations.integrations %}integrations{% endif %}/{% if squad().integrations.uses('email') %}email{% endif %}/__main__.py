"""Check the e-mail settings by sending a test message: ``python -m app.integrations.email you@example.com``."""

import asyncio
import sys

from app.integrations.email import EmailDeliveryError, EmailNotConfigured, get_email_settings, send_email


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python -m app.integrations.email RECIPIENT")
    try:
        provider = get_email_settings().provider
        text = f"Your e-mail settings work: this message was sent through {provider}."
        asyncio.run(send_email(sys.argv[1], "Test message", text, f"<p>{text}</p>"))
    except (EmailNotConfigured, EmailDeliveryError) as error:
        sys.exit(str(error))
    print(f"sent a test message to {sys.argv[1]} through {provider}")


if __name__ == "__main__":
    main()
