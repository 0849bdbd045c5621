"""Vanthu's common package: event contracts, topics, settings, logging, clock and infrastructure wiring.

Every service imports from here; no service imports another service.
"""
