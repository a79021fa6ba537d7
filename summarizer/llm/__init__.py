"""Talking to an OpenAI-compatible server: client factory, transport retries, extraction."""
