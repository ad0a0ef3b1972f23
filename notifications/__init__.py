"""Notifications: reminders of due work and news of events, the inbox and the bell, e-mails."""
