"""Persistence: SQLAlchemy engine, tables, migrations, and the thread pool that keeps DB calls off the reactor."""
