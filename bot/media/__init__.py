"""Media: fetching what messages carry (after the message is stored), checking it, keeping it, reading images."""
