"""One blueprint per resource, all under /api/v1 (see mock_server.create_app)."""
