"""The one place that holds the version of both packages (read by the build backend too)."""

__version__ = "0.1.0.dev0"
