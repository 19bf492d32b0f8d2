"""Lists that classify email addresses: shared mailboxes, stand-ins and free providers.

Local parts are compared with ``.``, ``_`` and ``-`` removed and any ``+tag`` dropped, so
``no-reply``, ``no_reply`` and ``noreply`` are one entry; domains are compared lower-case.
"""

# fmt: off
ROLE_LOCAL_PARTS: frozenset[str] = frozenset({
    # General enquiries and front desks.
    "info", "information", "contact", "contactus", "hello", "hi", "enquiries", "enquiry",
    "inquiries", "inquiry", "office", "reception", "frontdesk", "general", "mail", "team",
    "staff", "all", "everyone",
    # Departments.
    "sales", "marketing", "billing", "accounts", "accounting", "finance", "invoices",
    "invoice", "payments", "payroll", "purchasing", "procurement", "orders", "shop",
    "store", "hr", "jobs", "careers", "recruiting", "recruitment", "talent", "press",
    "media", "pr", "news", "newsletter", "legal", "compliance", "privacy", "security",
    "partners", "partnerships", "events", "bookings", "booking", "reservations", "feedback",
    # Support and service desks.
    "support", "help", "helpdesk", "service", "services", "customerservice",
    "customersupport", "customercare", "care", "it", "tech", "techsupport",
    # Systems that send or receive mail on their own.
    "admin", "administrator", "root", "sysadmin", "postmaster", "webmaster", "hostmaster",
    "abuse", "noreply", "donotreply", "notifications", "alerts", "mailerdaemon", "bounce",
    "bounces",
})
"""Shared mailboxes: several people read them, so they must never link two people."""

PLACEHOLDER_VALUES: frozenset[str] = frozenset({
    "n/a", "na", "none", "null", "nil", "unknown", "noemail", "no email", "no", "-", "--",
    ".", "x", "xx", "xxx", "test", "email", "notprovided", "not provided", "declined",
    "refused",
})
"""Whole field values that stand in for "no address", typed where one is required."""

PLACEHOLDER_LOCAL_PARTS: frozenset[str] = frozenset({
    "noemail", "nomail", "none", "no", "na", "nil", "null", "unknown", "test", "testing",
    "tester", "fake", "dummy", "sample", "example", "user", "email", "someone", "somebody",
    "nobody", "asdf", "qwerty", "abc", "abcd", "abc123", "123", "1234", "12345", "123456",
    "donotemail", "notprovided", "declined", "optout",
})
"""Local parts people type to get past a required email field."""

PLACEHOLDER_DOMAINS: frozenset[str] = frozenset({
    "example.com", "example.org", "example.net", "example.edu", "test.com", "test.org",
    "none.com", "noemail.com", "nomail.com", "no.com", "na.com", "null.com", "fake.com",
    "invalid.com", "domain.com", "mailinator.com", "xxx.com",
})
"""Domains of made-up addresses (RFC 2606 examples, obvious fakes, a throwaway inbox)."""

PLACEHOLDER_TOP_LEVEL_DOMAINS: tuple[str, ...] = ("example", "test", "invalid", "localhost")
"""RFC 2606 reserved names: no real mailbox lives under them."""

FREEMAIL_DOMAINS: frozenset[str] = frozenset({
    # Global webmail.
    "gmail.com", "googlemail.com", "icloud.com", "me.com", "mac.com", "msn.com",
    "passport.com", "ymail.com", "rocketmail.com", "proton.me", "protonmail.com",
    "protonmail.ch", "pm.me", "tutanota.com", "tutanota.de", "tuta.io", "fastmail.com",
    "fastmail.fm", "hey.com", "zoho.com", "zohomail.com", "mail.com", "email.com",
    "usa.com", "inbox.com", "hushmail.com", "aim.com",
    # United States internet providers.
    "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net",
    "charter.net", "earthlink.net", "optonline.net", "juno.com", "netzero.net",
    # United Kingdom.
    "btinternet.com", "btopenworld.com", "sky.com", "virginmedia.com", "ntlworld.com",
    "blueyonder.co.uk", "talktalk.net", "tiscali.co.uk", "o2.co.uk",
    # Germany and Austria.
    "web.de", "t-online.de", "freenet.de", "arcor.de", "posteo.de", "mail.de", "online.de",
    "gmx.net", "gmx.at",
    # France.
    "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "neuf.fr", "club-internet.fr",
    "bbox.fr", "numericable.fr",
    # Elsewhere in Europe.
    "libero.it", "virgilio.it", "tiscali.it", "alice.it", "seznam.cz", "wp.pl", "o2.pl",
    "onet.pl", "interia.pl", "ziggo.nl", "telenet.be", "skynet.be", "bluewin.ch",
    "mail.ru", "bk.ru", "list.ru", "inbox.ru", "rambler.ru",
    # Asia and the Pacific, Canada.
    "qq.com", "163.com", "126.com", "sina.com", "naver.com", "daum.net", "hanmail.net",
    "rediffmail.com", "bigpond.com", "optusnet.com.au", "shaw.ca", "rogers.com",
    "sympatico.ca",
})
"""Free or consumer mailbox providers: an address there says nothing about an employer."""

FREEMAIL_BRANDS: tuple[str, ...] = ("yahoo", "hotmail", "outlook", "live", "aol", "gmx", "yandex")
"""Providers with one domain per country (``yahoo.co.uk``, ``hotmail.fr``, ``gmx.de``)."""
# fmt: on
