"""Domain services: plain functions the views call. They add to the session; views commit."""
