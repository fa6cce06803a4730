"""The player protocol: message schemas, error codes, rate limiting, client addresses."""
