"""Contract tests of ops (post-deploy verification, day-2 operations) against a loopback fake."""
