"""Sessions and attendance, and the trainer's certification pages."""
