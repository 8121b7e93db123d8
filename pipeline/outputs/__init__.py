"""What is derived from the register for people: the books, their exports, the status site, the SRIKANDI bundle."""
