"""A service's skeleton: settings, the runtime that wires engine, broker, relay and app, and serve()."""
