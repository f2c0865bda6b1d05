"""The embedded demo network: the Mastodon client API on loopback, over a generated company.

It lets anyone run Hallway without a server of their own, and gives every test a
real network to talk to over HTTP.
"""
