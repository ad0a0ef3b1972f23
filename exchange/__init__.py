"""Data exchange in the field's own standard: HTCDS v2.0 workbooks in and out."""
