"""MSEL spreadsheets: a scenario's injects as the master scenario events list, out to CSV or XLSX and back in."""
