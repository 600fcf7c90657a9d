"""Third-party integrations: one module each, configured from the environment, safe to import without keys."""
