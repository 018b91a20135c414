"""Reference pools the traffic is drawn from: users, devices, geography, referrers and
the shop's catalogue. Built once per run from the seed, so the same seed always has the
same users (stable profiles across runs) and the hot loop only indexes into lists.

JSON fragments are pre-serialised here (with orjson) because most of an event is the
same bytes over and over: the session's user and device, the page's url and title.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import orjson

SHOP = "https://shop.example.com"

# (country, locale, weight, email domain)
GEOS = (
    ("DE", "de-DE", 22, "example.de"),
    ("US", "en-US", 20, "example.com"),
    ("GB", "en-GB", 12, "example.co.uk"),
    ("FR", "fr-FR", 11, "example.fr"),
    ("NL", "nl-NL", 7, "example.nl"),
    ("ES", "es-ES", 7, "example.es"),
    ("IT", "it-IT", 7, "example.it"),
    ("PL", "pl-PL", 5, "example.pl"),
    ("SE", "sv-SE", 4, "example.se"),
    ("BR", "pt-BR", 5, "example.com.br"),
)

# (type, os, browser, weight)
DEVICES = (
    ("mobile", "Android", "Chrome", 30),
    ("mobile", "iOS", "Safari", 25),
    ("desktop", "Windows", "Chrome", 18),
    ("desktop", "Windows", "Edge", 7),
    ("desktop", "macOS", "Safari", 8),
    ("desktop", "macOS", "Chrome", 5),
    ("tablet", "iPadOS", "Safari", 4),
    ("desktop", "Linux", "Firefox", 3),
)

# (referrer of the landing page or None for direct traffic, landing kind, weight)
REFERRERS = (
    ("https://www.google.com/", "product", 34),
    (None, "home", 20),
    ("https://www.bing.com/", "product", 5),
    ("https://www.facebook.com/", "category", 9),
    ("https://www.instagram.com/", "product", 8),
    ("https://newsletter.example.com/", "category", 10),
    ("https://www.google.com/", "search", 8),
    ("https://partner.example.net/deals", "product", 6),
)

PLANS = ("free", "plus", "premium")
PLAN_WEIGHTS = (70, 22, 8)

FIRST_NAMES = (
    "anna",
    "ben",
    "carla",
    "david",
    "emma",
    "felix",
    "greta",
    "hugo",
    "ines",
    "jonas",
    "karin",
    "lucas",
    "maria",
    "noah",
    "olga",
    "paul",
    "rosa",
    "sami",
    "tara",
    "yusuf",
)
LAST_NAMES = (
    "schmidt",
    "smith",
    "martin",
    "garcia",
    "rossi",
    "jansen",
    "nowak",
    "berg",
    "silva",
    "muller",
    "dubois",
    "jones",
    "lopez",
    "bianchi",
    "visser",
    "kowalski",
    "lind",
    "costa",
    "weber",
    "brown",
)

CATEGORIES = ("shoes", "jackets", "backpacks", "tents", "electronics", "watches", "socks", "headlamps")
ADJECTIVES = ("trail", "alpine", "urban", "ultralight", "classic", "waterproof", "thermal", "compact")
NOUNS = {
    "shoes": "runner",
    "jackets": "shell",
    "backpacks": "pack",
    "tents": "tent",
    "electronics": "gps",
    "watches": "watch",
    "socks": "socks",
    "headlamps": "lamp",
}
SEARCH_TERMS = (
    "rain jacket",
    "running shoes",
    "tent 2 person",
    "gps watch",
    "wool socks",
    "headlamp",
    "backpack 30l",
    "gore-tex",
    "sale",
    "gift card",
)
CLICK_TARGETS = ("nav_menu", "product_tile", "filter", "sort", "image_gallery", "size_picker", "reviews", "banner")


def dump_str(value: str | None) -> bytes:
    """A JSON string literal (or null), pre-escaped."""
    return orjson.dumps(value)


@dataclass
class User:
    id: str
    first: str
    last: str
    n: int
    geo: int
    plan: str
    device: int
    deleted: bool = False
    changes: int = 0  # change records emitted this run (tie-breaker of the sequence)
    fragment: bytes = b""

    @property
    def email(self) -> str:
        return f"{self.first}.{self.last}{self.n}@{GEOS[self.geo][3]}"

    @property
    def country(self) -> str:
        return GEOS[self.geo][0]

    def refresh_fragment(self) -> None:
        """The ``"user":{...}`` member of every event of this user; rebuilt on change."""
        self.fragment = b'"user":' + orjson.dumps(
            {"id": self.id, "email": self.email, "country": self.country, "locale": GEOS[self.geo][1]}
        )

    def change_record(self) -> dict:
        return {"email": self.email, "country": self.country, "plan": self.plan}


@dataclass(frozen=True)
class Page:
    url: bytes  # JSON string literal
    title: bytes  # JSON string literal
    product: int | None = None

    @property
    def head(self) -> bytes:
        """``"page":{"url":...,"referrer":`` - the referrer varies, so it goes between."""
        return b'"page":{"url":' + self.url + b',"referrer":'

    @property
    def tail(self) -> bytes:
        return b',"title":' + self.title + b"},"


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    category: str
    price_cents: int
    page: int  # index into Catalog.pages


class Catalog:
    """The shop (pages, products) and its users, all derived from the seed."""

    def __init__(self, seed: int, users: int):
        rng = random.Random(f"catalog:{seed}")
        self.pages: list[Page] = []
        self.home = self._page("/", "Outdoor Shop")
        self.cart = self._page("/cart", "Your cart")
        self.checkout = self._page("/checkout", "Checkout")
        self.confirmation = self._page("/checkout/confirmation", "Thank you for your order")
        self.category_pages = [self._page(f"/c/{c}", c.capitalize()) for c in CATEGORIES]
        self.search_pages = [self._page(f"/search?q={t.replace(' ', '+')}", f"Search: {t}") for t in SEARCH_TERMS]
        self.products: list[Product] = []
        for i in range(400):
            category = CATEGORIES[i % len(CATEGORIES)]
            name = f"{rng.choice(ADJECTIVES).capitalize()} {NOUNS[category]} {100 + i}"
            page = self._page(f"/p/{name.lower().replace(' ', '-')}", name, product=i)
            self.products.append(Product(f"P-{10000 + i}", name, category, rng.randrange(499, 49999), page))
        self.users = [self._user(rng) for _ in range(users)]
        self.geo_cum = cumulative([g[2] for g in GEOS])
        self.device_cum = cumulative([d[3] for d in DEVICES])
        self.device_fragments = [
            b'"device":' + orjson.dumps({"type": t, "os": o, "browser": b}) for t, o, b, _ in DEVICES
        ]

    def _page(self, path: str, title: str, product: int | None = None) -> int:
        self.pages.append(Page(dump_str(SHOP + path), dump_str(title), product))
        return len(self.pages) - 1

    def _user(self, rng: random.Random) -> User:
        user = User(
            id=f"u-{rng.getrandbits(64):016x}",
            first=rng.choice(FIRST_NAMES),
            last=rng.choice(LAST_NAMES),
            n=rng.randrange(1, 999),
            geo=rng.choices(range(len(GEOS)), weights=[g[2] for g in GEOS])[0],
            plan=rng.choices(PLANS, weights=PLAN_WEIGHTS)[0],
            device=rng.choices(range(len(DEVICES)), weights=[d[3] for d in DEVICES])[0],
        )
        user.refresh_fragment()
        return user


def pick(cum: list[float], r: float) -> int:
    """Index drawn from cumulative weights for a uniform r in [0, 1)."""
    idx = 0
    while cum[idx] < r:
        idx += 1
    return idx


def cumulative(weights: list[int] | tuple[int, ...]) -> list[float]:
    total = float(sum(weights))
    out, acc = [], 0.0
    for w in weights:
        acc += w / total
        out.append(acc)
    out[-1] = 1.0
    return out
