"""The domain. Services change state in the session they are given; the router commits."""
