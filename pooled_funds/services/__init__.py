"""Writes for pooled funds, one module per concept: returns (entry, upload, workflow,
the return's paper on the board's next agenda), decisions on money, reminders and
metric actuals, background imports. Every state change is here, under
``transaction.atomic``; views and the API only call these. Import the module that
defines a service.
"""
