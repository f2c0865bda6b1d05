"""A strict Salesforce Chatter emulator: the OAuth 2.0 endpoints of a login host, and an org's
Connect REST API (Chatter) and REST API query on another loopback port, as its ``instance_url``.

Salesforce cannot run here, so this is what Hallway's Chatter connector is checked against.
Every endpoint carries where its shape came from (``Source`` in hallway/demo/viva/routes.py:
Salesforce's documentation, a published sample, or a guess). The company is the demo's
generated one; no vendor sample is copied.
"""
