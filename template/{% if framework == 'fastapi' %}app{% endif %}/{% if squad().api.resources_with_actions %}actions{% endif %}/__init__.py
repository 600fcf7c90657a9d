"""Custom actions beyond CRUD. Each body between slot markers belongs to you after the project is created."""
