"""tui-advisor: a terminal advisor for agency owners."""

__version__ = "0.1.0"
