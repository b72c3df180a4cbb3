"""Reading uploaded tables for imports: CSV and .xlsx."""
