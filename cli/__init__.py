"""`wattkey`: the command-line client that machine clients use to send CSV files."""
