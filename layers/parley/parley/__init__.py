"""Parley: comments for static sites, on AWS Lambda."""
