"""The local runner's parts: the Spark Connect server, the update's timeline, the skip check."""
