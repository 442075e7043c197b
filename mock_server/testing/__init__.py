"""Test tooling: what a team's test suite uses to drive the mock.

plugin.py     the pytest plugin's hooks and fixtures (entry point: mock_server/pytest_plugin.py)
client.py     MockServer: the API as a client calls it, and every control, over plain HTTP
receiver.py   a loopback webhook receiver that checks signatures
near_miss.py  what came closest when assert_requested finds nothing

A new plugin helper: a method of MockServer in client.py, over a control route.
"""
