"""The console's widgets: each renders one of the host's views (and posts what the facilitator asks for)."""
