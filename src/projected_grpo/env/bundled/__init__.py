"""The bundled problem set: original LeetCode-style problems written for this project.

One module per topic (`problems_<topic>.py`), each a list `PROBLEMS` of dicts in the
Problem record's fields. Expected outputs are literals; arguments may be expressions.
"""
