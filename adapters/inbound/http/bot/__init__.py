"""The bot face's routes by area (seed 000): users, cabinets, validation, order and sales statistics. Each
module declares `ROUTES`; `adapters/inbound/http/routes/bot.py` puts them in the bot table."""
