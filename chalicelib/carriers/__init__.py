"""Shipping carriers for orders the shop ships itself (GHN, GHTK, Viettel Post): adapters behind
one interface (providers/), the carrier status table (statuses), printable labels (labels,
code128) and COD statements (cod). Nothing here touches storage: the caller loads and saves."""
