"""Sales channels an order can come from (API.md)."""
from enum import Enum


class Channel(str, Enum):
    pos = "pos"
    website = "website"
    facebook = "facebook"
    zalo = "zalo"
    tiktok = "tiktok"
    instagram = "instagram"
    livestream = "livestream"
    telesales = "telesales"
    collaborator = "collaborator"
    phone = "phone"
    shopee = "shopee"
    lazada = "lazada"
    tiktok_shop = "tiktok_shop"
    other = "other"

