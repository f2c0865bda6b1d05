"""A strict Viva Engage emulator: the Microsoft Entra ID sign-in, Microsoft Graph and the Yammer
REST API v1, as Microsoft documents them, on loopback TLS with a test CA of its own.

Viva Engage cannot run here, so this is what Hallway's connector is checked against. Every
endpoint carries where its shape came from (``Source``): Microsoft's documentation, a sample a
public project recorded from a real tenant, or a guess; ``hallway doctor`` lists the guesses as
never verified against a real tenant. The company is the demo's generated one (its people, their
posts); no vendor sample is copied.
"""
