"""Roles and the permissions each grants: the one table the server checks (see docs/permissions.md)."""
from enum import Enum


class Role(str, Enum):
    owner = "owner"
    manager = "manager"
    cashier = "cashier"
    sales = "sales"
    warehouse = "warehouse"
    livestream = "livestream"
    customer_care = "customer_care"
    accountant = "accountant"


PERMISSIONS: dict[str, str] = {
    "shop.manage": "Change shop settings",
    "staff.view": "See staff accounts",
    "staff.manage": "Create and change staff accounts, register counter devices",
    "audit.view": "Read the audit log of any entity or staff member",
    "catalog.view": "See products, variants and prices",
    "catalog.manage": "Create, change, import products",
    "catalog.view_cost": "See cost prices",
    "locations.manage": "Create and change locations",
    "stock.view": "See stock levels and the movement ledger",
    "stock.receive": "Record goods received",
    "stock.adjust": "Adjust stock with a reason, submit stocktakes",
    "stock.transfer": "Send and receive transfers between locations",
    "stock.reserve": "Reserve and release stock for orders",
    "orders.view": "See orders",
    "orders.create": "Create orders",
    "orders.process": "Confirm, pack, hand over orders",
    "orders.cancel": "Cancel orders",
    "orders.return": "Receive returns",
    "payments.mark_paid": "Mark orders as paid",
    "customers.view": "See customers",
    "customers.manage": "Change and merge customers",
    "reports.view": "See reports",
    "invoices.view": "See e-invoices, their XML and print views",
    "invoices.manage": "Set up e-invoicing, issue, cancel, replace and adjust invoices",
    "channels.view": "See channel connections, listings and the sync log",
    "channels.manage": "Connect sales channels, sync them, link listings to SKUs",
}

_ALL = frozenset(PERMISSIONS)
_SELLING = {"catalog.view", "stock.view", "orders.view", "orders.create", "customers.view"}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.owner: _ALL,
    Role.manager: _ALL - {"shop.manage"},
    Role.cashier: frozenset(_SELLING | {"orders.process", "payments.mark_paid", "stock.reserve"}),
    Role.sales: frozenset(_SELLING | {"orders.process", "stock.reserve", "customers.manage"}),
    Role.warehouse: frozenset(
        {"catalog.view", "stock.view", "stock.receive", "stock.adjust", "stock.transfer",
         "stock.reserve", "orders.view", "orders.process", "orders.return"}
    ),
    Role.livestream: frozenset(_SELLING | {"stock.reserve"}),
    Role.customer_care: frozenset(
        {"catalog.view", "stock.view", "orders.view", "orders.cancel", "orders.return",
         "customers.view", "customers.manage"}
    ),
    Role.accountant: frozenset(
        {"catalog.view", "catalog.view_cost", "stock.view", "orders.view", "payments.mark_paid",
         "customers.view", "reports.view", "audit.view", "invoices.view", "invoices.manage"}
    ),
}


def permissions_of(role: Role) -> frozenset[str]:
    return ROLE_PERMISSIONS[role]


def can(role: Role, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS[role]
