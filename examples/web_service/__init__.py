"""A FastAPI web service on ignite_orm's asyncio API (see app.py)."""
