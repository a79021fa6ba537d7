"""Know how good it is: gold annotations, scoring per field, and runs to compare."""
