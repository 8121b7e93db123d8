"""SPSE facilitation pipeline for Pusdatinkomtel (SOP.TPD.01/KDN/2011)."""

__version__ = "0.4.0"
