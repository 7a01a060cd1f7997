"""quotegraph: who said what, when, quoting whom — and was it quoted faithfully?"""

__version__ = "0.1.0"
