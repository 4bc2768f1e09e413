from wxops.simulator.testing import simulator  # noqa: F401 - the simulator fixture
