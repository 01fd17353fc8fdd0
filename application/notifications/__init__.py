"""Notifications: the fan-out of detected events to members (in the sync's own transaction), their
delivery to the bot, and what the bot API offers around them."""
