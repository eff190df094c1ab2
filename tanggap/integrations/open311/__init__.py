"""Open311 GeoReport v2 endpoint over the intake and case services."""
