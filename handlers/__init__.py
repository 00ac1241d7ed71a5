"""Conversation steps, one module per flow. bot/app.py registers them in one list."""
