"""What other apps' signals make the notices app do."""
