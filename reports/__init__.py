"""The indicator history report: pandas series, matplotlib charts, one HTML page."""
