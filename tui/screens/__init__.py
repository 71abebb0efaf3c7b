"""The app's screens: the main one and the help screen."""
