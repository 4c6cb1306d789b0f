"""What the bot makes of photos, voice notes, locations and files: links for officers, indicators of scams."""
