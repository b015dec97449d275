"""Core commands: init, policy, rules, check, fix, demo."""
