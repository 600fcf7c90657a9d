"""Source generators: the agents write schema modules as text the templates place verbatim."""
