"""The dual-block adapter: per target Linear a deployed block and a quarantine block."""
