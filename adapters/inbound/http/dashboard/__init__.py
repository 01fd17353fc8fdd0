"""The dashboard face's routes by area (seed 002); the table is adapters/inbound/http/routes/dashboard.py."""
