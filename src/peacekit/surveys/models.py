"""Perception surveys: instruments, waves, responses, evaluation results."""
