"""REST API v1 for integrations: thin adapters over the coaching services and selectors."""
