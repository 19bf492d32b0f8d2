"""Fixed vocabularies of the synthetic world.

Everything here is data, not behaviour: the enum values the ingestion schemas accept, the
catalogues the sources sample from, and the lookup tables the noise functions use. Keeping
them in one module means a schema change is a one-line edit and the sources cannot drift
apart (for example, email campaign topics and web page topics share one vocabulary).
"""

from datetime import UTC, datetime

from schemas.raw import LEAD_STATUSES as RAW_LEAD_STATUSES

WINDOW_START = int(datetime(2023, 1, 1, tzinfo=UTC).timestamp())
"""All activity happens in a fixed window so output never depends on the wall clock."""
WINDOW_END = int(datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC).timestamp())
DAY = 86_400

COUNTRIES = ("US", "GB", "DE", "FR")
COUNTRY_SHARES = (0.6, 0.2, 0.1, 0.1)
LOCALES = {"US": "en_US", "GB": "en_GB", "DE": "de_DE", "FR": "fr_FR"}
CURRENCIES = {"US": "USD", "GB": "GBP", "DE": "EUR", "FR": "EUR"}
COUNTRY_SPELLINGS = {
    "US": ("US", "USA", "United States", "united states", "U.S."),
    "GB": ("GB", "UK", "United Kingdom", "Great Britain", "england"),
    "DE": ("DE", "Germany", "Deutschland", "germany"),
    "FR": ("FR", "France", "france", "FRA"),
}
"""How people type their country into a free-text form field."""

PERSONAL_EMAIL_DOMAINS = {
    "US": (
        ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com"),
        (0.45, 0.17, 0.14, 0.1, 0.1, 0.04),
    ),
    "GB": (
        ("gmail.com", "outlook.com", "yahoo.co.uk", "btinternet.com", "hotmail.co.uk"),
        (0.42, 0.18, 0.14, 0.13, 0.13),
    ),
    "DE": (
        ("gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.de"),
        (0.3, 0.28, 0.22, 0.12, 0.08),
    ),
    "FR": (
        ("gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr", "sfr.fr"),
        (0.35, 0.2, 0.15, 0.1, 0.12, 0.08),
    ),
}
COMPANY_TLDS = {
    "US": (".com", ".io", ".co"),
    "GB": (".co.uk", ".com"),
    "DE": (".de", ".com"),
    "FR": (".fr", ".com"),
}
LEGAL_SUFFIXES = {
    "US": ("Inc.", "LLC", "Corp."),
    "GB": ("Ltd", "PLC", "Ltd"),
    "DE": ("GmbH", "AG", "GmbH & Co. KG"),
    "FR": ("SAS", "SARL", "SA"),
}
COMPANY_SECTORS = (
    "Logistics",
    "Analytics",
    "Systems",
    "Foods",
    "Health",
    "Energy",
    "Labs",
    "Partners",
    "Consulting",
    "Robotics",
    "Media",
    "Retail",
    "Capital",
    "Software",
    "Networks",
    "Motors",
    "Textiles",
    "Pharma",
    "Solutions",
    "Digital",
    "Freight",
    "Insurance",
    "Dynamics",
    "Works",
)
INDUSTRIES = (
    "Software",
    "Retail",
    "Manufacturing",
    "Financial Services",
    "Healthcare",
    "Logistics",
    "Media",
    "Education",
    "Energy",
    "Professional Services",
    "Telecommunications",
    "Hospitality",
)
ROLE_INBOXES = ("info", "sales", "support")
"""Shared mailboxes colleagues use interchangeably: a classic false-merge trap."""

VENDOR_DOMAIN = "c360demo.com"
WEBSITE = "https://www.c360demo.com"

PLACEHOLDER_EMAILS = ("noemail@example.com", "none@none.com")
PLACEHOLDER_PHONES = ("0000000000", "000-000-0000")

NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "William": ("Bill", "Will", "Billy"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Katherine": ("Kate", "Kathy"),
    "Catherine": ("Cathy", "Kate"),
    "Margaret": ("Peggy", "Maggie"),
    "Michael": ("Mike", "Mikey"),
    "James": ("Jim", "Jimmy"),
    "John": ("Jack", "Johnny"),
    "Richard": ("Rick", "Dick", "Rich"),
    "Thomas": ("Tom", "Tommy"),
    "Christopher": ("Chris",),
    "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",),
    "Joseph": ("Joe", "Joey"),
    "Anthony": ("Tony",),
    "Andrew": ("Andy", "Drew"),
    "Joshua": ("Josh",),
    "Jennifer": ("Jen", "Jenny"),
    "Patricia": ("Pat", "Patty", "Trish"),
    "Susan": ("Sue", "Susie"),
    "Jessica": ("Jess",),
    "Deborah": ("Deb", "Debbie"),
    "Rebecca": ("Becky", "Becca"),
    "Samantha": ("Sam",),
    "Alexander": ("Alex",),
    "Benjamin": ("Ben",),
    "Nicholas": ("Nick",),
    "Jonathan": ("Jon",),
    "Timothy": ("Tim",),
    "Steven": ("Steve",),
    "Stephen": ("Steve",),
    "Edward": ("Ed", "Ted"),
    "Charles": ("Charlie", "Chuck"),
    "Kenneth": ("Ken",),
    "Ronald": ("Ron",),
    "Donald": ("Don",),
    "Gregory": ("Greg",),
    "Jeffrey": ("Jeff",),
    "Victoria": ("Vicky", "Tori"),
    "Christine": ("Chris", "Tina"),
    "Kimberly": ("Kim",),
    "Pamela": ("Pam",),
    "Abigail": ("Abby",),
    "Johannes": ("Hannes",),
    "Friedrich": ("Fritz",),
    "Wilhelm": ("Willi",),
}
"""Formal first name -> nicknames people use for themselves in less formal systems."""

EXTRA_ACCENTED_FIRST_NAMES = {
    "US": (("María", "Zoë", "Renée", "Chloé"), ("José", "Andrés", "René")),
    "GB": (("Zoë", "Renée", "Chloë"), ("André", "Noël", "José")),
}
"""(female, male) names with accents mixed into English-speaking pools, e.g. José, Zoë."""

COMMON_NAMES = (
    ("John", "Smith"),
    ("Maria", "Garcia"),
    ("James", "Brown"),
    ("Michael", "Johnson"),
    ("Mary", "Williams"),
    ("David", "Miller"),
)
"""Very common full names given to several unrelated people: the namesake trap."""

LIFECYCLE_WEIGHTS = (0.2, 0.25, 0.12, 0.08, 0.08, 0.22, 0.05)
LEAD_STATUSES = (*RAW_LEAD_STATUSES, None)
"""The CRM's lead statuses, or none set."""
LEAD_STATUS_WEIGHTS = (0.14, 0.14, 0.1, 0.06, 0.1, 0.12, 0.06, 0.28)

PRODUCTS = (
    ("Analytics Starter", 49.0),
    ("Analytics Pro", 149.0),
    ("Data Pipelines", 299.0),
    ("Identity Hub", 499.0),
    ("Support Plus", 79.0),
    ("Enterprise Suite", 1299.0),
)
SUBSCRIPTION_STATUSES = ("active", "trialing", "past_due", "cancelled", "expired")
SUBSCRIPTION_STATUS_WEIGHTS = (0.5, 0.1, 0.07, 0.18, 0.15)

TOPICS = (
    "pricing",
    "integrations",
    "security",
    "analytics",
    "careers",
    "blog-ai",
    "blog-data",
    "support",
    "product-updates",
    "events",
)
PAGES = (
    ("/", "product-updates"),
    ("/pricing", "pricing"),
    ("/pricing/enterprise", "pricing"),
    ("/integrations", "integrations"),
    ("/integrations/salesforce", "integrations"),
    ("/integrations/hubspot", "integrations"),
    ("/integrations/snowflake", "integrations"),
    ("/security", "security"),
    ("/security/gdpr", "security"),
    ("/trust", "security"),
    ("/product/analytics", "analytics"),
    ("/product/dashboards", "analytics"),
    ("/careers", "careers"),
    ("/careers/data-engineer", "careers"),
    ("/blog/ai/llm-entity-resolution", "blog-ai"),
    ("/blog/ai/agents-for-ops", "blog-ai"),
    ("/blog/data/golden-records", "blog-data"),
    ("/blog/data/dedup-at-scale", "blog-data"),
    ("/blog/data/warehouse-costs", "blog-data"),
    ("/support", "support"),
    ("/support/sso-setup", "support"),
    ("/docs/api", "support"),
    ("/changelog", "product-updates"),
    ("/events/summit-2025", "events"),
    ("/events/webinars", "events"),
)
"""Website pages and their topic; the homepage counts as product news."""

TRAIT_FIELDS = ("email", "first_name", "last_name", "company", "phone", "job_title", "country")
FORMS = {
    "contact_us": ("/contact", "support", ("email", "first_name", "last_name", "company", "phone")),
    "demo_request": (
        "/demo",
        "pricing",
        ("email", "first_name", "last_name", "company", "job_title", "phone", "country"),
    ),
    "newsletter_signup": ("/blog", "blog-data", ("email", "first_name")),
    "webinar_registration": (
        "/events/webinars",
        "events",
        ("email", "first_name", "last_name", "company", "job_title"),
    ),
    "trial_signup": (
        "/signup",
        "pricing",
        ("email", "first_name", "last_name", "company", "country"),
    ),
}
"""form_id -> (page path, page topic, fields the form asks for)."""

EMAIL_STATUSES = ("subscribed", "unsubscribed", "cleaned", "pending")
EMAIL_STATUS_WEIGHTS = (0.75, 0.12, 0.05, 0.08)

SOCIAL_PLATFORMS = ("linkedin", "x", "instagram", "facebook")
SOCIAL_PLATFORM_WEIGHTS = (0.4, 0.25, 0.2, 0.15)
INTERACTION_TYPES = ("mention", "comment", "like", "share", "direct_message", "follow")
INTERACTION_WEIGHTS = (0.15, 0.2, 0.35, 0.12, 0.06, 0.12)

TICKET_CHANNELS = ("email", "phone", "chat", "web")
TICKET_CHANNEL_WEIGHTS = (0.45, 0.15, 0.25, 0.15)
TICKET_PRIORITIES = ("low", "normal", "high", "urgent")
TICKET_PRIORITY_WEIGHTS = (0.25, 0.5, 0.18, 0.07)
TICKET_STATUSES = ("new", "open", "pending", "solved", "closed")
TICKET_STATUS_WEIGHTS = (0.06, 0.12, 0.08, 0.34, 0.4)
REQUESTABLE_FIELDS = (
    "email",
    "phone",
    "company",
    "job_title",
    "address",
    "account_number",
    "order_number",
)
TICKET_SUBJECTS = (
    "Cannot log in to the dashboard",
    "Invoice question",
    "Salesforce sync is failing",
    "Password reset email never arrives",
    "Please export all my data (GDPR)",
    "Change billing address",
    "Upgrade to Analytics Pro",
    "SSO setup with Okta",
    "Charged twice this month",
    "API returns 500 on /v2/profiles",
    "Cancel my subscription",
    "Add a seat for a new colleague",
    "Report is missing yesterday's data",
    "How do I merge duplicate contacts?",
    "Webinar recording link broken",
    "Update the email on my account",
    "Request for security questionnaire",
)
SUBJECT_PREFIXES = ("", "", "", "", "Re: ", "Fwd: ", "URGENT: ")

STREET_ABBREVIATIONS = {
    "Street": "St",
    "Avenue": "Ave",
    "Road": "Rd",
    "Lane": "Ln",
    "straße": "str.",
    "Straße": "Str.",
    "rue": "r.",
}
"""Abbreviations address fields drift between when typed by different people."""
