"""SP4N-LAPOR! import and export, and CSV/XLSX imports of reports."""
