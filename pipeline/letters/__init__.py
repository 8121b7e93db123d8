"""The numbered letter after approval: signing, voiding its number, its signed copies."""
