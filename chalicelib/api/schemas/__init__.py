"""Pydantic request and response models: the source of the OpenAPI document."""
