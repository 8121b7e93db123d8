"""Helpers shared by the tests: input builders, workspaces, stand-in servers, fault injection.

Nothing here is collected as a test (no module is named ``test_*``); test modules import it as
``support.<module>`` (tests/ is on ``sys.path``, see tests/conftest.py).
"""
