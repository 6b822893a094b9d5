"""The console's modal dialogs: decide, ad-hoc inject, delay, seat, export, confirm, help."""
