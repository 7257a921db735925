"""Sales channel adapters (Shopee, Lazada, TikTok Shop, websites) and the canonical order they
produce. Entry point: `chalicelib.channels.providers.adapter_for`."""
