"""Every key of the table is built here: the code form of the access-pattern table in
docs/architecture.md."""


def shop_pk(tenant_id: str, *parts: str) -> str:
    return "#".join(("SHOP", tenant_id) + parts)
