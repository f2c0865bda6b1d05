"""The feed's list: the Qt model over the store's posts, mentions, announcements and who is in,
and the delegate that draws each row and turns clicks on it into actions."""
