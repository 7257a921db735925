"""A module imported on first use. Route modules name their use cases this way, so `import app`
(every Lambda's cold start) loads route declarations and schemas, not PynamoDB, botocore and the
stores behind them: a request loads only the areas it touches."""
import importlib


class LazyModule:
    __slots__ = ("_name",)

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self._name), attribute)

    def __repr__(self) -> str:
        return f"<lazy {self._name}>"


def lazy(name: str) -> LazyModule:
    return LazyModule(name)
