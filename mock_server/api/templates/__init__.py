"""Templates: CRUD, preview and rendering."""
