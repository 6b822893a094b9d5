"""Golden run logs of the bundled scenarios, and the script that regenerates them on purpose."""
