"""The vault (coffre): contiguous event IDs, durable journal, lots and their validation records."""
