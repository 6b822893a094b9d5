"""The after-action report and improvement plan (AAR/IP) of a run log or a batch folder, as HTML or Markdown."""
