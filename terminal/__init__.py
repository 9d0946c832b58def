"""Terminal rendering: safe text and tables that read well at any width and in a pipe."""
