"""The `parley` command: the local stack and, later, moderation and tools. Never shipped to Lambda."""
