"""Network analysis: how fast an alert can travel the stakeholders' channels, who it never reaches, and which single
organisation or channel, if it fails, cuts others off."""
