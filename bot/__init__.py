"""xinqiao (心桥): the application."""
