class BadInput(ValueError):
    """Input that cannot be used, with a one-line message saying where and how to fix it.

    The command line prints the message and exits with status 2; nothing has been written.
    """
