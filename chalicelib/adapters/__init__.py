"""Adapters at the edges: DynamoDB, password hashing, tokens, channels, notifications."""
