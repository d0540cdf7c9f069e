"""Huiqi (惠企自测): which Inner Mongolia business supports a business can get, offline."""

__version__ = "0.1.0"
