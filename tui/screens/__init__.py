"""The console's screens: start, exercise and debrief."""
