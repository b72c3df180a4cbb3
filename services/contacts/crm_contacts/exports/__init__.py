"""Contacts as files: vCard 4.0, a PDF card, and lists as .vcf / .xlsx / .csv (CON-11)."""
