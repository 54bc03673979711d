"""Verifying certificates: public pages, signed credentials, the status list, evidence bundles."""
