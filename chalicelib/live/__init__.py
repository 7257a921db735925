"""Live selling: comment parsing, platform comment pullers, buyer messages."""
