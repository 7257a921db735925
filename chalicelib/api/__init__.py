"""HTTP entrypoints: Blueprints that only translate HTTP to service calls and back."""
