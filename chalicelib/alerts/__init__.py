"""Alerts: Vietnamese messages for owners (Telegram) and staff (Web Push), and the providers that
deliver them. Which event triggers what, storage and schedules live elsewhere; this package only
turns plain data into text and moves it to a chat or a browser."""
