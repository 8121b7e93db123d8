"""Helpers shared by the tests; nothing here is a test (tests/conftest.py keeps it out of collection).

Test modules import it as ``support.<module>`` (tests/ is on ``sys.path``):

- ``workspace``: ``make_workspace(root, {"limits": {...}})``, a workspace whose config.yaml is the
  default merged with nested dicts; ``configure``/``merge_config`` change an existing one.
- ``cli``: the CLI invoked in the test process (``invoke``, ``invoker``) and its JSON lines.
- ``builders``: inbox files (memos in several layouts, registration data, actions, scans).
- ``layouts``, ``scan_builders``: Nota Dinas layouts offices use; scans and hostile PDFs/images.
- ``cases``: a case brought to authentication; the register read back whole.
- ``steps``: the step table edited as staff edit config.yaml.
- ``processes``: the service started as staff start it; ``FAULTS``, the fault injector's path.
- ``faults``: run as a program, the CLI with a SIGKILL planted at one crash-protocol boundary.
- ``ca``, ``bsre_standin``, ``tsa_standin``, ``local_server``: a test CA and signed PDFs, stand-ins
  for the BSrE gateway and a time-stamp authority.
- ``pg_server``: a throwaway PostgreSQL server.
"""
