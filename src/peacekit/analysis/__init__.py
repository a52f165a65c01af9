"""Pure-Python science for peacekit: no Django imports here (ARCHITECTURE rule 3)."""
