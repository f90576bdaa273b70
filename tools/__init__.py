"""The typed tools the triager files through, their grounding checks, and trackers."""
