"""Email and web domains, and which of them can identify a customer."""

from __future__ import annotations

from urllib.parse import urlsplit

# Mailbox providers: an address there says nothing about the company behind it.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "ymail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "outlook.com",
        "live.com",
        "msn.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "mail.com",
        "zoho.com",
        "yandex.com",
        "yandex.ru",
        "qq.com",
        "163.com",
        "126.com",
        "fastmail.com",
        "hey.com",
        "tutanota.com",
        "comcast.net",
        "verizon.net",
        "att.net",
    }
)


def is_public_email_domain(domain: str) -> bool:
    return domain.lower().strip(".") in PUBLIC_EMAIL_DOMAINS


def domain_of(value: str) -> str | None:
    """The bare domain of an email address or website ("https://www.x.com/" -> "x.com")."""
    value = value.strip().lower()
    if not value:
        return None
    if "@" in value and "://" not in value:
        host = value.rsplit("@", 1)[1]
    else:
        host = urlsplit(value if "://" in value else f"//{value}").hostname or ""
    host = host.strip(".")
    if host.startswith("www."):
        host = host[4:]
    return host or None
