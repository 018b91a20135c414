"""The clickstream declarative pipeline: bronze -> silver -> gold (see README.md)."""
