"""The main screen's panels, each a widget with one job."""
