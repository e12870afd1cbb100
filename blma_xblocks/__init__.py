"""Open edX XBlocks for the ITCILO blended course on bilateral labour migration agreements."""

__version__ = "0.1.0"
