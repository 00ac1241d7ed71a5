"""Messages in and out: inbound, conversations, the outbox and its delivery, sealing, rate limits, due rows."""
