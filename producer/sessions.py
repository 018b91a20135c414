"""The session model: a user on a device arrives from a referrer, lands, browses,
may search, fills a cart, checks out and buys, with drop-off at every step.

``Session.step`` is on the hot path (called once per event): it uses one or two
random draws, indexes pre-built pools and returns pre-serialised JSON fragments.
"""

from __future__ import annotations

import orjson

from contract import EVENT_TYPES
from producer.catalog import CLICK_TARGETS, REFERRERS, SEARCH_TERMS, Catalog, User, cumulative, dump_str, pick

# Every fragment below ends where the next one starts, so an event is one bytes join.
TYPE_PART = {t: b'","event_type":"' + t.encode() + b'","event_ts":"' for t in EVENT_TYPES}
PART_TYPE = {v: k for k, v in TYPE_PART.items()}
# By name, not by position: a type the contract drops fails here, a reordering changes nothing.
SESSION_START = TYPE_PART["session_start"]
PAGE_VIEW = TYPE_PART["page_view"]
CLICK = TYPE_PART["click"]
SEARCH = TYPE_PART["search"]
ADD = TYPE_PART["add_to_cart"]
REMOVE = TYPE_PART["remove_from_cart"]
CHECKOUT = TYPE_PART["checkout"]
PURCHASE = TYPE_PART["purchase"]
SESSION_END = TYPE_PART["session_end"]


def props_part(props: dict[str, str]) -> bytes:
    return b'"properties":' + orjson.dumps(props) + b',"schema_version":1}'


EMPTY_PROPS = props_part({})
CLICK_PROPS = [props_part({"target": t}) for t in CLICK_TARGETS]
REFERRER_CUM = cumulative([r[2] for r in REFERRERS])
CHANNELS = {
    None: "direct",
    "https://newsletter.example.com/": "email",
    "https://partner.example.net/deals": "affiliate",
    "https://www.facebook.com/": "social",
    "https://www.instagram.com/": "social",
}

# Stages of the funnel.
LANDING, BROWSE, CHECKING_OUT, BOUGHT, ENDED = range(5)

# Browse actions: cumulative probabilities, checked in order (drop-off is the remainder).
P_PRODUCT_VIEW, P_CATEGORY_VIEW, P_CLICK, P_SEARCH, P_ADD, P_REMOVE, P_CHECKOUT = (
    0.30,
    0.42,
    0.62,
    0.68,
    0.80,
    0.82,
    0.87,
)
# After checkout: purchase, else abandon (end) or go back to the cart.
P_PURCHASE, P_ABANDON = 0.62, 0.82
MAX_EVENTS = 80


class Shop:
    """Per-run derived fragments of the catalogue (product props, landing props)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        pages = catalog.pages
        self.n_products = len(catalog.products)
        self.page_parts = [(p.head, p.tail) for p in pages]
        self.view_props = [EMPTY_PROPS] * len(pages)
        self.add_props, self.remove_props = [], []
        for p in catalog.products:
            price = f"{p.price_cents / 100:.2f}"
            self.view_props[p.page] = props_part({"product_id": p.id, "category": p.category})
            self.add_props.append(props_part({"product_id": p.id, "quantity": "1", "price": price, "currency": "EUR"}))
            self.remove_props.append(props_part({"product_id": p.id}))
        self.search_props = [props_part({"query": t, "results": str(7 + 11 * i)}) for i, t in enumerate(SEARCH_TERMS)]
        self.start_props = [props_part({"channel": CHANNELS.get(r[0], "search"), "landing": r[1]}) for r in REFERRERS]
        self.referrers = [dump_str(r[0]) for r in REFERRERS]


class Session:
    __slots__ = (
        "shop",
        "id",
        "user",
        "head",
        "stage",
        "page",
        "page_head",
        "referrer",
        "page_tail",
        "cart",
        "events",
        "start_ms",
        "landing",
        "referrer_idx",
    )

    def __init__(self, shop: Shop, session_id: bytes, user: User, device_fragment: bytes, rnd, start_ms: int):
        self.shop = shop
        self.id = session_id
        self.user = user
        self.head = b'"session_id":"' + session_id + b'",' + user.fragment + b"," + device_fragment + b","
        self.stage = LANDING
        self.cart: list[int] = []
        self.events = 0
        self.start_ms = start_ms
        idx = self.referrer_idx = pick(REFERRER_CUM, rnd())
        kind = REFERRERS[idx][1]
        cat = shop.catalog
        if kind == "product":
            self.landing = cat.products[int(rnd() * shop.n_products)].page
        elif kind == "category":
            self.landing = cat.category_pages[int(rnd() * len(cat.category_pages))]
        elif kind == "search":
            self.landing = cat.search_pages[int(rnd() * len(cat.search_pages))]
        else:
            self.landing = cat.home
        self.page = self.landing
        self._set_page(self.landing, shop.referrers[idx])

    def _set_page(self, page: int, referrer: bytes) -> None:
        self.page = page
        self.page_head, self.page_tail = self.shop.page_parts[page]
        self.referrer = referrer

    def _view(self, page: int) -> tuple[bytes, bytes]:
        self._set_page(page, self.shop.catalog.pages[self.page].url)
        return PAGE_VIEW, self.shop.view_props[page]

    def step(self, rnd, now_ms: int) -> tuple[bytes, bytes]:
        """Advance one event: (type fragment, properties fragment). Updates the page fragments."""
        self.events += 1
        stage = self.stage
        if stage == BROWSE:
            r = rnd()
            if self.events >= MAX_EVENTS or r >= P_CHECKOUT:
                return self._end(now_ms)
            shop = self.shop
            if r < P_PRODUCT_VIEW:
                return self._view(shop.catalog.products[int(rnd() * shop.n_products)].page)
            if r < P_CATEGORY_VIEW:
                cats = shop.catalog.category_pages
                return self._view(cats[int(rnd() * len(cats))])
            if r < P_CLICK:
                return CLICK, CLICK_PROPS[int(rnd() * len(CLICK_PROPS))]
            if r < P_SEARCH:
                i = int(rnd() * len(shop.search_props))
                self._set_page(shop.catalog.search_pages[i], shop.catalog.pages[self.page].url)
                return SEARCH, shop.search_props[i]
            product = shop.catalog.pages[self.page].product
            if r < P_ADD:
                if product is None:
                    return self._view(shop.catalog.products[int(rnd() * shop.n_products)].page)
                self.cart.append(product)
                return ADD, shop.add_props[product]
            if r < P_REMOVE and self.cart:
                return REMOVE, shop.remove_props[self.cart.pop()]
            if self.cart:
                return self._checkout()
            return self._view(shop.catalog.category_pages[int(rnd() * len(shop.catalog.category_pages))])
        if stage == LANDING:
            self.stage = BROWSE
            if self.events == 1:
                self.start_ms = now_ms
                return SESSION_START, self.shop.start_props[self.referrer_idx]
            return PAGE_VIEW, self.shop.view_props[self.landing]
        if stage == CHECKING_OUT:
            r = rnd()
            if r < P_PURCHASE:
                self.stage = BOUGHT
                return PURCHASE, self._order_props()
            if r < P_ABANDON:
                return self._end(now_ms)
            self.stage = BROWSE
            return self._view(self.shop.catalog.cart)
        if stage == BOUGHT:
            if self.page != self.shop.catalog.confirmation:
                return self._view(self.shop.catalog.confirmation)
            return self._end(now_ms)
        raise RuntimeError("step() on an ended session")

    def _checkout(self) -> tuple[bytes, bytes]:
        self.stage = CHECKING_OUT
        self._set_page(self.shop.catalog.checkout, self.shop.catalog.pages[self.page].url)
        return CHECKOUT, props_part({"items": str(len(self.cart)), "value": self._cart_value(), "currency": "EUR"})

    def _cart_value(self) -> str:
        products = self.shop.catalog.products
        return f"{sum(products[i].price_cents for i in self.cart) / 100:.2f}"

    def _order_props(self) -> bytes:
        return props_part(
            {
                "order_id": f"O-{self.id[-12:].decode()}",
                "items": str(len(self.cart)),
                "revenue": self._cart_value(),
                "currency": "EUR",
            }
        )

    def _end(self, now_ms: int) -> tuple[bytes, bytes]:
        self.stage = ENDED
        return SESSION_END, props_part(
            {"duration_s": str((now_ms - self.start_ms) // 1000), "events": str(self.events)}
        )
