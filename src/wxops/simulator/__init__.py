"""A local WeChat (微信公众平台) for wxops: same HTTP API, callbacks and simulated followers.

Run it with ``wxops simulator --port 9100`` (or :func:`wxops.simulator.server.main`), or in
a test with :func:`wxops.simulator.testing.running_simulator`. See docs/simulator.md.
No Django here: the simulator stands alone, like the real platform.
"""
