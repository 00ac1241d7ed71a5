"""Channel adapters: the only place that knows a transport (and imports its SDK)."""
