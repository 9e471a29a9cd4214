"""Refusals of input the user can fix (a folder, a size, an argument): the command line turns
them into exit 2 with their message, the Python API raises them as ValueErrors."""


class Refused(ValueError):
    """Input refused before any work is done; the message names the file, key or argument."""
