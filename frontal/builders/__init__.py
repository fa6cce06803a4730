"""One builder per event: typed domain values in, an XSD-valid lxml element out."""
